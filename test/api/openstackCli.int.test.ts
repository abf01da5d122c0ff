// The real openstack CLI (python3-openstackclient) against esdn's API served over HTTP on loopback.
import { describe, expect, it } from 'vitest';
import { useInProcessOpenstack } from '../support/inProcessOpenstack.ts';

const { available, json, openstack } = await useInProcessOpenstack('openstackCli.int.test');

describe.skipIf(!available)('openstack CLI', () => {
  it('creates a provider network, a subnet and a bound port, lists it, and refuses deleting the network in use', async () => {
    const net = await json('network', 'create', '--provider-network-type', 'vxlan', '--provider-segment', '4242', 'cli-net');
    expect(net).toMatchObject({ name: 'cli-net', 'provider:segmentation_id': 4242, mtu: 1450, status: 'ACTIVE' });
    const subnet = await json('subnet', 'create', '--network', 'cli-net', '--subnet-range', '10.77.0.0/24', 'cli-sub');
    expect(subnet).toMatchObject({ cidr: '10.77.0.0/24', gateway_ip: '10.77.0.1' });
    const port = await json('port', 'create', '--network', 'cli-net', '--host', 'hv1', '--fixed-ip', 'subnet=cli-sub,ip-address=10.77.0.9', 'cli-port');
    // no host hv1 is registered, so the binding failed, as Neutron reports it
    expect(port).toMatchObject({ binding_host_id: 'hv1', binding_vif_type: 'binding_failed', status: 'DOWN' });
    expect(port.fixed_ips).toEqual([{ subnet_id: subnet.id, ip_address: '10.77.0.9' }]);
    const ports = await json('port', 'list');
    expect(ports.map((p: { Name: string }) => p.Name)).toEqual(['cli-port']);
    const inUse = await openstack('network', 'delete', 'cli-net');
    expect(inUse.ok).toBe(false);
    expect(inUse.out).toContain('There are one or more ports still in use on the network');
  });
});
