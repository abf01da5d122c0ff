// Host decider: admin only, unique name, datapath id and tunnel address, canonical spellings.
import { describe, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.ts';
import { ADMIN, ALICE, AT, LATER, given } from '../given.ts';

const hv1: DomainEvent = {
  type: 'HostRegistered',
  data: { name: 'hv1', datapathId: '00000000000000a1', tunnelIp: '192.0.2.11', bridgeMappings: {}, tunnelInterface: 'vxlan0', createdAt: AT, updatedAt: AT },
};

describe('host decider', () => {
  it('registers with a lowercase datapath id and the default tunnel interface', () => {
    given([]).when({ type: 'RegisterHost', actor: ADMIN, at: AT, name: 'hv1', datapathId: '00000000000000A1', tunnelIp: '192.0.2.11' })
      .then([hv1]);
  });
  it('refuses non-admins, duplicates of name, datapath id and tunnel address', () => {
    const register = (extra: object) => ({ type: 'RegisterHost' as const, actor: ADMIN, at: AT, name: 'hv2', datapathId: '00000000000000a2', tunnelIp: '192.0.2.12', ...extra });
    given([]).when(register({ actor: ALICE })).thenThrows('PolicyNotAuthorized', 403);
    given([hv1]).when(register({ name: 'hv1' })).thenThrows('HostExists', 409);
    given([hv1]).when(register({ datapathId: '00000000000000A1' })).thenThrows('DatapathIdInUse', 409);
    given([hv1]).when(register({ tunnelIp: '192.0.2.11' })).thenThrows('TunnelIpInUse', 409);
    given([hv1]).when(register({ tunnelIp: 'nope' })).thenThrows('InvalidInput', 400);
  });
  it('updates only what changed and deregisters', () => {
    given([hv1]).when({ type: 'UpdateHost', actor: ADMIN, at: LATER, name: 'hv1', tunnelIp: '192.0.2.11', bridgeMappings: { public: 'ex0' } })
      .then([{ type: 'HostUpdated', data: { name: 'hv1', changes: { bridgeMappings: { public: 'ex0' } }, updatedAt: LATER } }]);
    given([hv1]).when({ type: 'DeregisterHost', actor: ADMIN, at: LATER, name: 'hv1' }).then([{ type: 'HostDeregistered', data: { name: 'hv1' } }]);
    given([]).when({ type: 'DeregisterHost', actor: ADMIN, at: LATER, name: 'hv1' }).thenThrows('HostNotFound', 404);
  });
});
