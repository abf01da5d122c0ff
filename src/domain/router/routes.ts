// Static routes of a router (Neutron's extraroute): canonical form and the checks Neutron makes.
import { NeutronError, HTTP_BAD_REQUEST } from '../errors.ts';
import { cidrContains, formatCidr, formatIp, parseCidr, parseIp } from '../ip/address.ts';
import type { Cidr } from '../ip/address.ts';

export interface Route {
  destination: string;
  nexthop: string;
}

/** Neutron's default max_routes: more static routes on one router are refused. */
export const MAX_ROUTES = 30;

function invalidRoutes(routes: readonly Route[], reason: string): NeutronError {
  return new NeutronError('InvalidRoutes', HTTP_BAD_REQUEST, `Invalid format for routes: ${JSON.stringify(routes)}, ${reason}`);
}

/** Canonical spellings, duplicates refused; a 400 InvalidRoutes for what is not a route at all. */
export function canonicalRoutes(routes: readonly Route[]): Route[] {
  const seen = new Set<string>();
  const result: Route[] = [];
  for (const route of routes) {
    const destination = parseCidr(route.destination);
    const nexthop = parseIp(route.nexthop);
    if (destination === undefined) throw invalidRoutes(routes, `'${route.destination}' is not a valid CIDR`);
    if (nexthop === undefined) throw invalidRoutes(routes, `'${route.nexthop}' is not a valid IP address`);
    if (destination.version !== nexthop.version) throw invalidRoutes(routes, 'the destination and nexthop IP versions differ');
    const canonical = { destination: formatCidr(destination), nexthop: formatIp(nexthop) };
    const key = `${canonical.destination} ${canonical.nexthop}`;
    if (seen.has(key)) throw invalidRoutes(routes, `duplicate route ${JSON.stringify(canonical)}`);
    seen.add(key);
    result.push(canonical);
  }
  return result;
}

/** What a router is connected to: its interface subnets' CIDRs and its own addresses on them. */
export interface RouterConnections {
  cidrs: readonly string[];
  ownIps: readonly string[];
}

/**
 * Neutron's extraroute checks for canonical routes: at most MAX_ROUTES (400 RoutesExhausted), and
 * every nexthop inside a subnet the router has an interface on, but not the router's own address.
 */
export function checkRoutes(routerId: string, routes: readonly Route[], connections: RouterConnections): void {
  if (routes.length > MAX_ROUTES) {
    throw new NeutronError(
      'RoutesExhausted',
      HTTP_BAD_REQUEST,
      `Unable to complete operation for ${routerId}. The number of routes exceeds the maximum ${MAX_ROUTES}.`,
    );
  }
  const cidrs = connections.cidrs.map(parseCidr).filter((c): c is Cidr => c !== undefined);
  const own = new Set(connections.ownIps);
  for (const route of routes) {
    const nexthop = parseIp(route.nexthop);
    if (nexthop === undefined || !cidrs.some((c) => cidrContains(c, nexthop))) {
      throw invalidRoutes(routes, 'the nexthop is not connected with router');
    }
    if (own.has(route.nexthop)) throw invalidRoutes(routes, 'the nexthop is used by router');
  }
}

/** Routes whose nexthop lies in the CIDR: an interface they need cannot be removed. */
export function routesVia(routes: readonly Route[], cidrText: string): Route[] {
  const cidr = parseCidr(cidrText);
  if (cidr === undefined) return [];
  return routes.filter((r) => {
    const ip = parseIp(r.nexthop);
    return ip !== undefined && cidrContains(cidr, ip);
  });
}
