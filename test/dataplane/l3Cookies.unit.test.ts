// Provenance of the L3 stages' flows: every routing, security-group and DHCP flow's cookie explains back to its resource and stream.
import { expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { COOKIE_STAGES, explainCookie } from '../../projections/pipeline/cookie.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView, interfaceName } from '../../projections/topology/view.ts';
import { hostRegistered, networkCreated, portBound, portCreated, switchPort } from '../projections/support/topologyFixtures.ts';

const ROUTER = 'abcdef01-0000-4000-8000-000000000001';
const VM = '12345678-0000-4000-8000-000000000001';
const RPORT = '87654321-0000-4000-8000-000000000001';

it('routing, security_group and dhcp flows name their router, port or host', () => {
  const vm = portCreated({ id: VM, networkId: 'n1', mac: '02:00:00:00:00:01', ips: ['10.0.0.5'] });
  const rp = portCreated({ id: RPORT, networkId: 'n1', mac: '02:00:00:00:00:fe', ips: ['10.0.0.1'] });
  if (vm.type !== 'PortCreated' || rp.type !== 'PortCreated') throw new Error('fixture');
  const events: TopologyEvent[] = [
    networkCreated('n1', 100), networkCreated('n2', 200), hostRegistered('hv1', '192.0.2.1'), switchPort('hv1', 'vxlan0', 100),
    { type: 'SubnetCreated', data: { id: 's1', networkId: 'n1', ipVersion: 4, cidr: '10.0.0.0/24', gatewayIp: '10.0.0.1' } },
    { type: 'SubnetCreated', data: { id: 's2', networkId: 'n2', ipVersion: 4, cidr: '10.2.0.0/24', gatewayIp: '10.2.0.1' } },
    { ...vm, data: { ...vm.data, fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.5' }], securityGroups: ['g'] } }, portBound(VM, 'hv1'), switchPort('hv1', interfaceName(VM, {}), 1),
    { ...rp, data: { ...rp.data, deviceOwner: 'network:router_interface', fixedIps: [{ subnetId: 's1', ipAddress: '10.0.0.1' }] } },
    { type: 'RouterCreated', data: { id: ROUTER, adminStateUp: true, routes: [] } },
    { type: 'RouterInterfaceAdded', data: { id: ROUTER, portId: RPORT, subnetId: 's1' } },
    { type: 'SecurityGroupRuleCreated', data: { id: 'r', securityGroupId: 'g', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: null, remoteGroupId: null } },
  ];
  const view = emptyView();
  for (const e of events) applyTopologyEvent(view, e);
  const seen = new Map<string, Set<string>>();
  for (const f of desiredFlows(view, 'hv1').values()) {
    const x = explainCookie(f.cookie, view);
    if (x.owner !== 'esdn' || !['routing', 'security_group', 'dhcp'].includes(x.stage)) continue;
    expect(x.resources.length).toBeGreaterThan(0);
    for (const r of x.resources) seen.set(x.stage, (seen.get(x.stage) ?? new Set()).add(r.stream));
  }
  expect(seen.get('routing')).toEqual(new Set([`router-${ROUTER}`]));
  expect(seen.get('security_group')).toEqual(new Set([`port-${VM}`, 'host-hv1']));
  expect(seen.get('dhcp')).toEqual(new Set(['host-hv1']));
  expect(COOKIE_STAGES.indexOf('routing')).toBeLessThan(16);
});
