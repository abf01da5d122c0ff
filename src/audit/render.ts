// Renders a replayed world as the live API does: the same Neutron JSON shapes, collections keyed like the live lists.
import type { World } from '../domain/world.ts';
import type { Principal } from '../domain/principal.ts';
import { toNeutronNetwork } from '../domain/network/view.ts';
import { toNeutronSubnet } from '../domain/subnet/view.ts';
import { toNeutronPort } from '../domain/port/view.ts';
import { toNeutronRouter } from '../domain/router/view.ts';
import { toNeutronFloatingIp } from '../domain/floatingIp/view.ts';
import { toNeutronSecurityGroup, toNeutronSecurityGroupRule } from '../domain/securityGroup/view.ts';
import { toHostJson } from '../domain/host/view.ts';

export type Json = Record<string, unknown>;

/** Audit answers are for admins: provider attributes and every project's resources are shown. */
const AUDITOR: Principal = { userId: 'audit', projectId: 'audit', isAdmin: true };

/** The collections of a state, in the order they are printed; keys as in the live API's list bodies. */
export const COLLECTIONS = [
  'networks', 'subnets', 'ports', 'routers', 'floatingips', 'security_groups', 'security_group_rules', 'hosts',
] as const;
export type Collection = (typeof COLLECTIONS)[number];

/** The singular key of a collection (what the live API wraps one resource in). */
export const SINGULAR: Record<Collection, string> = {
  networks: 'network', subnets: 'subnet', ports: 'port', routers: 'router', floatingips: 'floatingip',
  security_groups: 'security_group', security_group_rules: 'security_group_rule', hosts: 'host',
};

export type AuditState = Record<Collection, Json[]>;

/** One collection of the world, with its record type erased once the renderer is bound to it. */
interface Slice {
  entries: () => Iterable<[string, unknown]>;
  get: (id: string) => unknown;
  render: (v: unknown) => Json;
}

function slices(world: World): Record<Collection, Slice> {
  const s = <V>(map: { entries(): Iterable<[string, V]>; get(k: string): V | undefined }, render: (v: V) => Json): Slice =>
    ({ entries: () => map.entries(), get: (id: string) => map.get(id), render: (v: unknown) => render(v as V) });
  return {
    networks: s(world.networks, (n) => toNeutronNetwork(n, AUDITOR)),
    subnets: s(world.subnets, (x) => toNeutronSubnet(x)),
    ports: s(world.ports, (p) => toNeutronPort(p, AUDITOR, world)),
    routers: s(world.routers, (r) => toNeutronRouter(r, AUDITOR)),
    floatingips: s(world.floatingIps, (f) => toNeutronFloatingIp(f, world)),
    security_groups: s(world.securityGroups, (g) => toNeutronSecurityGroup(g, world)),
    security_group_rules: s(world.securityGroupRules, (r) => toNeutronSecurityGroupRule(r, world)),
    hosts: s(world.hosts, (h) => toHostJson(h)),
  };
}

const byId = (a: [string, unknown], b: [string, unknown]): number => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

/** Every resource, each collection sorted by id so the same world always prints the same bytes. */
export function renderState(world: World): AuditState {
  const all = slices(world);
  const out = {} as AuditState;
  for (const c of COLLECTIONS) {
    const slice = all[c];
    out[c] = [...slice.entries()].sort(byId).map(([, v]) => slice.render(v));
  }
  return out;
}

/** One resource by id, wherever it lives; undefined when no collection holds it. */
export function renderResource(world: World, id: string): { collection: Collection; json: Json } | undefined {
  const all = slices(world);
  for (const c of COLLECTIONS) {
    const slice = all[c];
    const v = slice.get(id);
    if (v !== undefined) return { collection: c, json: slice.render(v) };
  }
  return undefined;
}
