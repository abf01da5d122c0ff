// Compile-time and run-time check that the domain's events still fit what the topology view reads (projections/topology/inputs.ts).
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events.ts';
import { asTopologyEvent, type TopologyDomainEvent } from '../../projections/topology/inputs.ts';

/** Every domain event the view folds, narrowed to the view's input: a type error here means the shapes drifted. */
type Folded = Extract<DomainEvent, { type: TopologyDomainEvent['type'] }>;
const fits = (e: Folded): TopologyDomainEvent => e;

describe('domain events fit the topology inputs', () => {
  it('a PortCreated as the domain records it is folded by the view', () => {
    const e: Folded = {
      type: 'PortCreated',
      data: {
        id: 'p1', projectId: 'proj', networkId: 'n1', name: '', description: '', adminStateUp: true, macAddress: '02:00:00:00:00:01',
        fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }], deviceId: '', deviceOwner: '', bindingProfile: {}, vnicType: 'normal',
        portSecurityEnabled: true, allowedAddressPairs: [], securityGroups: [], tags: [], createdAt: 't', updatedAt: 't',
      },
    } as Folded;
    expect(asTopologyEvent(fits(e))?.type).toBe('PortCreated');
  });
});
