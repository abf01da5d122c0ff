// Router static routes: canonical form and Neutron's extraroute refusals.
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../../../src/domain/errors.ts';
import { MAX_ROUTES, canonicalRoutes, checkRoutes, routesVia } from '../../../src/domain/router/routes.ts';

function refusalType(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NeutronError);
    return (e as NeutronError).type;
  }
  throw new Error('expected a refusal');
}

const connections = { cidrs: ['10.0.0.0/24', '2001:db8::/64'], ownIps: ['10.0.0.1'] };

describe('canonicalRoutes', () => {
  it('spells addresses canonically', () => {
    expect(canonicalRoutes([{ destination: '2001:DB8:1::/48', nexthop: '2001:db8:0::5' }])).toEqual([
      { destination: '2001:db8:1::/48', nexthop: '2001:db8::5' },
    ]);
  });
  it('refuses bad CIDRs, bad addresses, mixed versions and duplicates', () => {
    expect(refusalType(() => canonicalRoutes([{ destination: '10.0.0.1/8', nexthop: '10.0.0.5' }]))).toBe('InvalidRoutes');
    expect(refusalType(() => canonicalRoutes([{ destination: '10.0.0.0/8', nexthop: 'x' }]))).toBe('InvalidRoutes');
    expect(refusalType(() => canonicalRoutes([{ destination: '10.0.0.0/8', nexthop: '::1' }]))).toBe('InvalidRoutes');
    const r = { destination: '192.168.0.0/16', nexthop: '10.0.0.5' };
    expect(refusalType(() => canonicalRoutes([r, { ...r }]))).toBe('InvalidRoutes');
  });
});

describe('checkRoutes', () => {
  it('accepts nexthops on attached subnets', () => {
    expect(() => checkRoutes('r', [{ destination: '192.168.0.0/16', nexthop: '10.0.0.5' }], connections)).not.toThrow();
  });
  it('refuses a nexthop on no attached subnet, or the router itself', () => {
    expect(refusalType(() => checkRoutes('r', [{ destination: '192.168.0.0/16', nexthop: '10.9.0.5' }], connections))).toBe(
      'InvalidRoutes',
    );
    expect(refusalType(() => checkRoutes('r', [{ destination: '192.168.0.0/16', nexthop: '10.0.0.1' }], connections))).toBe(
      'InvalidRoutes',
    );
  });
  it('refuses more than MAX_ROUTES routes', () => {
    const many = Array.from({ length: MAX_ROUTES + 1 }, (_, i) => ({ destination: `172.16.${i}.0/24`, nexthop: '10.0.0.5' }));
    expect(refusalType(() => checkRoutes('r', many, connections))).toBe('RoutesExhausted');
  });
  it('finds the routes that depend on an interface', () => {
    const routes = [
      { destination: '192.168.0.0/16', nexthop: '10.0.0.5' },
      { destination: '2001:db8:9::/48', nexthop: '2001:db8::9' },
    ];
    expect(routesVia(routes, '10.0.0.0/24')).toEqual([routes[0]]);
  });
});
