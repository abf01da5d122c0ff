// The topology view's gateway scheduling index: the host of a router's gateway comes only from the scheduler's recorded decisions.
import { describe, expect, it } from 'vitest';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { gatewayHostOf, gatewayPhysicalNetworkOf, gatewaysOnHost } from '../../projections/topology/gateways.ts';
import type { GatewayScheduleReason } from '../../projections/topology/gatewayEvents.ts';

const AT = '2026-11-26T00:00:00.000Z';
const extNet: TopologyEvent = { type: 'NetworkCreated', data: { id: 'ext', projectId: 'p', segment: { networkType: 'flat', physicalNetwork: 'public', segmentationId: null } } };
const overlay: TopologyEvent = { type: 'NetworkCreated', data: { id: 'ov', projectId: 'p', segment: { networkType: 'vxlan', physicalNetwork: null, segmentationId: 7 } } };
const routerCreated = (id: string): TopologyEvent => ({ type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } });
const gatewaySet = (id: string, networkId = 'ext'): TopologyEvent => ({
  type: 'RouterGatewaySet', data: { id, gateway: { networkId, enableSnat: true, externalFixedIps: [{ subnetId: 's', ipAddress: '203.0.113.5' }], portId: `gw-${id}` } },
});
const scheduled = (id: string, host: string | null, reason: GatewayScheduleReason = 'gateway_set'): TopologyEvent => ({
  type: 'RouterGatewayHostScheduled', data: { id, host, reason, physicalNetwork: 'public', at: AT },
});
const fold = (events: TopologyEvent[]) => events.reduce(applyTopologyEvent, emptyView());

describe('gatewayHostOf', () => {
  it('is undefined until a decision is recorded, then the decided host; a later decision replaces it', () => {
    expect(gatewayHostOf(fold([extNet, routerCreated('r1'), gatewaySet('r1')]), 'r1')).toBeUndefined();
    const v = fold([extNet, routerCreated('r1'), gatewaySet('r1'), scheduled('r1', 'hv1')]);
    expect(gatewayHostOf(v, 'r1')).toBe('hv1');
    expect(gatewayPhysicalNetworkOf(v, 'r1')).toBe('public');
    expect(gatewaysOnHost(v, 'hv1')).toEqual(['r1']);
    applyTopologyEvent(v, scheduled('r1', 'hv2', 'host_unavailable'));
    expect(gatewayHostOf(v, 'r1')).toBe('hv2');
    expect(gatewaysOnHost(v, 'hv1')).toEqual([]);
  });

  it('a decision of no host reads as undefined; an enable_snat change (set again) keeps the host', () => {
    expect(gatewayHostOf(fold([extNet, routerCreated('r1'), gatewaySet('r1'), scheduled('r1', null)]), 'r1')).toBeUndefined();
    expect(gatewayHostOf(fold([extNet, routerCreated('r1'), gatewaySet('r1'), scheduled('r1', 'hv1'), gatewaySet('r1')]), 'r1')).toBe('hv1');
  });

  it('clearing the gateway or deleting the router forgets the host; a stale decision for a router without gateway is ignored', () => {
    const base = [extNet, routerCreated('r1'), gatewaySet('r1'), scheduled('r1', 'hv1')];
    const cleared = fold([...base, { type: 'RouterGatewayCleared', data: { id: 'r1', portId: 'gw-r1' } }]);
    expect(gatewayHostOf(cleared, 'r1')).toBeUndefined();
    applyTopologyEvent(cleared, scheduled('r1', 'hv3'));
    expect(gatewayHostOf(cleared, 'r1')).toBeUndefined();
    applyTopologyEvent(cleared, gatewaySet('r1'));
    expect(gatewayHostOf(cleared, 'r1')).toBeUndefined();
    expect(gatewayHostOf(fold([...base, { type: 'RouterDeleted', data: { id: 'r1' } }]), 'r1')).toBeUndefined();
  });

  it('a gateway on a network without a physical network needs none; unknown routers have no host', () => {
    const v = fold([overlay, routerCreated('r1'), gatewaySet('r1', 'ov')]);
    expect(gatewayPhysicalNetworkOf(v, 'r1')).toBeNull();
    expect(gatewayHostOf(v, 'nope')).toBeUndefined();
  });
});
