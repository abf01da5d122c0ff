// The real openstack CLI (python3-openstackclient) driving routers, floating IPs and security group rules over HTTP.
import { describe, expect, it } from 'vitest';
import { useInProcessOpenstack } from '../support/inProcessOpenstack.ts';

const { available, json, ok, openstack } = await useInProcessOpenstack('routersOpenstackCli.int.test');

describe.skipIf(!available)('openstack CLI: routers, floating IPs, security groups', () => {
  it('routes a tenant subnet to an external network and gives a port a floating IP', async () => {
    await ok('network', 'create', '--external', '--provider-network-type', 'flat', '--provider-physical-network', 'public', 'public');
    await ok('subnet', 'create', '--network', 'public', '--subnet-range', '203.0.113.0/24', '--no-dhcp', 'public-sub');
    await ok('network', 'create', 'private');
    await ok('subnet', 'create', '--network', 'private', '--subnet-range', '10.1.0.0/24', 'private-sub');
    await ok('router', 'create', 'r1');
    await ok('router', 'set', '--external-gateway', 'public', 'r1');
    await ok('router', 'add', 'subnet', 'r1', 'private-sub');
    const router = await json('router', 'show', 'r1');
    expect(router.external_gateway_info).toMatchObject({ enable_snat: true, external_fixed_ips: [{ ip_address: '203.0.113.2' }] });
    const port = await json('port', 'create', '--network', 'private', 'vm-port');
    const fip = await json('floating', 'ip', 'create', '--port', 'vm-port', 'public');
    expect(fip).toMatchObject({ port_id: port.id, router_id: router.id, fixed_ip_address: port.fixed_ips[0].ip_address, status: 'DOWN' });
    await ok('router', 'add', 'route', '--route', 'destination=192.168.0.0/16,gateway=10.1.0.9', 'r1');
    expect((await json('router', 'show', 'r1')).routes).toEqual([{ destination: '192.168.0.0/16', nexthop: '10.1.0.9' }]);
    const inUse = await openstack('router', 'delete', 'r1');
    expect(inUse.ok).toBe(false);
  });

  it('adds a rule to the default group and refuses its duplicate', async () => {
    const rule = await json('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', '--remote-ip', '0.0.0.0/0', 'default');
    expect(rule).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 22, direction: 'ingress' });
    // the CLI renames ethertype to ether_type in its output.
    expect(rule.ether_type ?? rule.ethertype).toBe('IPv4');
    const dup = await openstack('security', 'group', 'rule', 'create', '--protocol', 'tcp', '--dst-port', '22', 'default');
    expect(dup.ok).toBe(false);
    expect(dup.out).toContain('already exists');
  });
});
