// A small scripted topology shared by projection tests: two networks, two hosts, VMs on each.
import type { TopologyEvent } from '../../../projections/topology/inputs.ts';
import { hostRegistered, networkCreated, switchPort, vmPort } from './topologyFixtures.ts';

export const NET1 = '11111111-0000-4000-8000-000000000001';
export const NET2 = '22222222-0000-4000-8000-000000000002';
export const VNI1 = 1001;
export const VNI2 = 1002;
export const HV1_IP = '192.0.2.11';
export const HV2_IP = '192.0.2.12';
export const TUNNEL_OFPORT = 100;

export const A1 = { id: 'a1a1a1a1-0000-4000-8000-000000000001', networkId: NET1, mac: '02:00:00:00:01:01', ips: ['10.0.0.11'], host: 'hv1', ofport: 1 };
export const A2 = { id: 'a2a2a2a2-0000-4000-8000-000000000002', networkId: NET1, mac: '02:00:00:00:01:02', ips: ['10.0.0.12'], host: 'hv1', ofport: 2 };
/** Same CIDR and even the same IP as A1, but another project's network. */
export const A3 = { id: 'a3a3a3a3-0000-4000-8000-000000000003', networkId: NET2, mac: '02:00:00:00:01:03', ips: ['10.0.0.11'], host: 'hv1', ofport: 3 };
export const B1 = { id: 'b1b1b1b1-0000-4000-8000-000000000001', networkId: NET1, mac: '02:00:00:00:02:01', ips: ['10.0.0.21'], host: 'hv2', ofport: 1 };

export function scenarioEvents(): TopologyEvent[] {
  return [
    networkCreated(NET1, VNI1, 'proj-a'),
    networkCreated(NET2, VNI2, 'proj-b'),
    hostRegistered('hv1', HV1_IP),
    hostRegistered('hv2', HV2_IP),
    switchPort('hv1', 'vxlan0', TUNNEL_OFPORT),
    switchPort('hv2', 'vxlan0', TUNNEL_OFPORT),
    ...vmPort(A1), ...vmPort(A2), ...vmPort(A3), ...vmPort(B1),
  ];
}
