// Security groups in the topology view: rules by group, ports by group, and which groups name another as remote group.
//
// The flows of a secured port depend on the rules of its groups and, through remote_group_id, on the
// addresses of every port in the groups those rules name. The indexes here answer both questions in
// O(affected) so incremental updates touch only the ports whose flows can change.
import { ADDRESS_BITS, formatIp, parseCidr, parseIp } from '../../src/domain/ip/address.ts';
import type { SecurityGroupRuleInput, TopologyEvent } from './inputs.ts';
import type { PortView, TopologyView } from './view.ts';
import { addTo, removeFrom } from './setMap.ts';

export interface SecurityGroupIndex {
  rules: Map<string, SecurityGroupRuleInput>;
  /** group id -> ids of its rules */
  rulesByGroup: Map<string, Set<string>>;
  /** group id -> ids of the ports in it */
  portsByGroup: Map<string, Set<string>>;
  /** remote group id -> group id -> number of that group's rules naming it */
  groupsByRemote: Map<string, Map<string, number>>;
  /** group id -> host -> number of the group's ports bound there (hosts to touch without a scan of members) */
  hostsByGroup: Map<string, Map<string, number>>;
  /** group id -> canonical member address (canonicalAddress) -> number of its ports holding it (the address units' input) */
  addressesByGroup: Map<string, Map<string, number>>;
  /** host -> group id -> number of the group's ports bound there with port security (which rules are in force there) */
  securedGroupsByHost: Map<string, Map<string, number>>;
}

export function emptySecurityGroupIndex(): SecurityGroupIndex {
  return {
    rules: new Map(), rulesByGroup: new Map(), portsByGroup: new Map(), groupsByRemote: new Map(), hostsByGroup: new Map(),
    addressesByGroup: new Map(), securedGroupsByHost: new Map(),
  };
}

/** The view's index for folding: created on first use when a view was built without one. */
export function sgIndexFor(view: TopologyView): SecurityGroupIndex {
  return (view.securityGroups ??= emptySecurityGroupIndex());
}

const NO_GROUPS: SecurityGroupIndex = emptySecurityGroupIndex();

/** The view's index for reading (never mutates the view). */
export function sgIndexOf(view: TopologyView): SecurityGroupIndex {
  return view.securityGroups ?? NO_GROUPS;
}

/** A deep copy (for views cloned by replay/audit code). */
export function cloneSecurityGroupIndex(idx: SecurityGroupIndex): SecurityGroupIndex {
  const sets = (m: Map<string, Set<string>>) => new Map([...m].map(([k, v]) => [k, new Set(v)] as const));
  const counts = (m: Map<string, Map<string, number>>) => new Map([...m].map(([k, v]) => [k, new Map(v)] as const));
  return {
    rules: new Map(idx.rules), rulesByGroup: sets(idx.rulesByGroup), portsByGroup: sets(idx.portsByGroup),
    groupsByRemote: counts(idx.groupsByRemote),
    hostsByGroup: counts(idx.hostsByGroup), addressesByGroup: counts(idx.addressesByGroup), securedGroupsByHost: counts(idx.securedGroupsByHost),
  };
}

function count(m: Map<string, Map<string, number>>, outer: string, key: string, delta: number): void {
  let inner = m.get(outer);
  if (!inner) m.set(outer, (inner = new Map()));
  const n = (inner.get(key) ?? 0) + delta;
  if (n > 0) inner.set(key, n);
  else inner.delete(key);
  if (inner.size === 0) m.delete(outer);
}

function countRemote(idx: SecurityGroupIndex, remote: string, group: string, delta: number): void {
  count(idx.groupsByRemote, remote, group, delta);
}

/** Dotted quad without leading zeros: already in the form formatIp gives (the common case, parsed for nothing). */
const CANONICAL_IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/**
 * One text per address match: '10.0.0.1' and '10.0.0.1/32' are one flow, so one address unit (two
 * units wanting one key would keep only the smaller unit's conjunctions). ipMatch reads it back the
 * same. Undefined when unparsable (no flow, as before).
 */
export function canonicalAddress(text: string): string | undefined {
  if (CANONICAL_IPV4.test(text)) return text;
  if (!text.includes('/')) {
    const ip = parseIp(text);
    return ip && formatIp(ip);
  }
  const cidr = parseCidr(text);
  if (!cidr) return undefined;
  const network = formatIp({ version: cidr.version, value: cidr.network });
  return cidr.prefixLength === ADDRESS_BITS[cidr.version] ? network : `${network}/${cidr.prefixLength}`;
}

/** A port's member addresses (fixed IPs and allowed address pairs), canonical and unique. */
export function portAddresses(port: PortView): Set<string> {
  const out = new Set<string>();
  for (const f of port.fixedIps) { const c = canonicalAddress(f.ipAddress); if (c !== undefined) out.add(c); }
  for (const a of port.allowedAddressPairs) { const c = canonicalAddress(a.ipAddress); if (c !== undefined) out.add(c); }
  return out;
}

/** Adds (delta +1) or removes (-1) a port's group memberships; called where view.ts (un)indexes ports. */
export function indexPortGroups(idx: SecurityGroupIndex, port: PortView, delta: 1 | -1): void {
  const groups = port.securityGroups;
  if (groups === null || groups === undefined || groups.length === 0) return;
  const addresses = portAddresses(port);
  const secured = port.hostId !== '' && port.portSecurityEnabled;
  for (const g of new Set(groups)) {
    (delta > 0 ? addTo : removeFrom)(idx.portsByGroup, g, port.id);
    if (port.hostId !== '') count(idx.hostsByGroup, g, port.hostId, delta);
    if (secured) count(idx.securedGroupsByHost, port.hostId, g, delta);
    for (const a of addresses) count(idx.addressesByGroup, g, a, delta);
  }
}

function removeRule(idx: SecurityGroupIndex, id: string): void {
  const old = idx.rules.get(id);
  if (!old) return;
  idx.rules.delete(id);
  removeFrom(idx.rulesByGroup, old.securityGroupId, id);
  if (old.remoteGroupId !== null) countRemote(idx, old.remoteGroupId, old.securityGroupId, -1);
}

/** Folds the security group events of the view (others are ignored). */
export function applySecurityGroupEvent(idx: SecurityGroupIndex, ev: TopologyEvent): void {
  switch (ev.type) {
    case 'SecurityGroupRuleCreated': {
      removeRule(idx, ev.data.id);
      const r = { ...ev.data };
      idx.rules.set(r.id, r);
      addTo(idx.rulesByGroup, r.securityGroupId, r.id);
      if (r.remoteGroupId !== null) countRemote(idx, r.remoteGroupId, r.securityGroupId, +1);
      return;
    }
    case 'SecurityGroupRuleDeleted':
      removeRule(idx, ev.data.id);
      return;
    case 'SecurityGroupDeleted':
      for (const id of [...(idx.rulesByGroup.get(ev.data.id) ?? [])]) removeRule(idx, id);
      return;
    default:
      return;
  }
}

/** One rule's resolved inputs: the rule and, for remote_group_id, the addresses of that group's members. */
export interface ResolvedRule {
  rule: SecurityGroupRuleInput;
  /** present iff the rule names a remote group (empty from resolvedRulesOfPort: see there) */
  remoteAddresses?: readonly string[];
}

/** No addresses: a port's own flows need only to know that a rule names a remote group. */
const NOT_RESOLVED: readonly string[] = Object.freeze([]);

/**
 * The port's rules, remote-group rules marked: the port's own flows hold only clause 1 of their
 * conjunctions (the members' addresses are the host's address units'), so the group's members are not
 * listed here (that was O(group size) per port event with the default group).
 */
export function resolvedRulesOfPort(view: TopologyView, port: PortView): ResolvedRule[] {
  return rulesOfPort(view, port).map((rule) => (rule.remoteGroupId === null ? { rule } : { rule, remoteAddresses: NOT_RESOLVED }));
}

const byId = (a: SecurityGroupRuleInput, b: SecurityGroupRuleInput): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The remote-group rules of one group. */
function remoteRulesOfGroup(idx: SecurityGroupIndex, group: string): SecurityGroupRuleInput[] {
  const out: SecurityGroupRuleInput[] = [];
  for (const id of idx.rulesByGroup.get(group) ?? []) {
    const r = idx.rules.get(id);
    if (r && r.remoteGroupId !== null) out.push(r);
  }
  return out;
}

/**
 * Remote-group rules in force on a host (those of the groups of its ports with port security), sorted
 * by id: O(groups on the host), from the index, not a pass over the host's ports.
 */
export function remoteRulesInForce(view: TopologyView, host: string): SecurityGroupRuleInput[] {
  const idx = sgIndexOf(view);
  const out: SecurityGroupRuleInput[] = [];
  for (const g of idx.securedGroupsByHost.get(host)?.keys() ?? []) out.push(...remoteRulesOfGroup(idx, g));
  return out.sort(byId);
}

/** Whether some port of the group holds the (canonical) address. */
export function groupHasAddress(view: TopologyView, group: string, address: string): boolean {
  return sgIndexOf(view).addressesByGroup.get(group)?.has(address) ?? false;
}

/** The canonical addresses a host's address units cover: members of the remote groups of its rules in force. */
export function memberAddressesOnHost(view: TopologyView, host: string): Set<string> {
  const idx = sgIndexOf(view);
  const out = new Set<string>();
  for (const g of new Set(remoteRulesInForce(view, host).map((r) => r.remoteGroupId ?? ''))) {
    for (const a of idx.addressesByGroup.get(g)?.keys() ?? []) out.add(a);
  }
  return out;
}

/** Where an event reaches the shared remote-group flows: (host, undefined) = the host's conjunction flows, (host, address) = one address's. */
export type AddressSetTouch = (host: string, address: string | undefined) => void;

/** A host's conjunction flows and the address flows of the members of these remote groups there. */
function touchRulesOnHost(view: TopologyView, host: string, remoteGroups: Iterable<string>, touch: AddressSetTouch): void {
  const idx = sgIndexOf(view);
  touch(host, undefined);
  for (const g of new Set(remoteGroups)) for (const a of idx.addressesByGroup.get(g)?.keys() ?? []) touch(host, a);
}

/** A rule (as recorded now) with a remote group: on every host with ports of its group. */
function touchRule(view: TopologyView, rule: SecurityGroupRuleInput | undefined, touch: AddressSetTouch): void {
  if (!rule || rule.remoteGroupId === null) return;
  for (const h of sgIndexOf(view).hostsByGroup.get(rule.securityGroupId)?.keys() ?? []) touchRulesOnHost(view, h, [rule.remoteGroupId], touch);
}

/**
 * The shared remote-group flows an event may change, read from the view as it is (incremental.ts calls
 * this before and after folding): O(what changes), not O(ports on the host).
 * - a member's addresses: the address flows of those addresses on the hosts with rules naming its groups;
 * - a port that is its group's only secured port on its host (before: it leaves; after: it came): the
 *   group's remote rules come into or out of force there, with every address of their remote groups;
 * - a rule with a remote group (its id's recorded rule, and the group's rules on a group deletion);
 * - a host (de)registered or changed: all of its own.
 */
export function addressSetTouches(view: TopologyView, ev: TopologyEvent, touch: AddressSetTouch): void {
  const idx = sgIndexOf(view);
  switch (ev.type) {
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost': {
      const p = view.ports.get(ev.data.id);
      if (!p || p.securityGroups === null || p.securityGroups === undefined || p.securityGroups.length === 0) return;
      if (ev.type !== 'PortBoundToHost' && ev.type !== 'PortUnboundFromHost') {
        const hosts = new Set<string>();
        hostsReferencing(view, p.securityGroups, hosts);
        const addresses = portAddresses(p);
        for (const h of hosts) for (const a of addresses) touch(h, a);
      }
      if (p.hostId === '' || !p.portSecurityEnabled) return;
      const onHost = idx.securedGroupsByHost.get(p.hostId);
      for (const g of new Set(p.securityGroups)) {
        if (onHost?.get(g) !== 1) continue;
        const rules = remoteRulesOfGroup(idx, g);
        if (rules.length > 0) touchRulesOnHost(view, p.hostId, rules.map((r) => r.remoteGroupId ?? ''), touch);
      }
      return;
    }
    case 'SecurityGroupRuleCreated': case 'SecurityGroupRuleDeleted':
      touchRule(view, idx.rules.get(ev.data.id), touch);
      return;
    case 'SecurityGroupDeleted':
      for (const r of remoteRulesOfGroup(idx, ev.data.id)) touchRule(view, r, touch);
      return;
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered': {
      const host = ev.data.name;
      touch(host, undefined);
      for (const a of memberAddressesOnHost(view, host)) touch(host, a);
      return;
    }
    default:
      return;
  }
}

/** The rules that apply to a port: those of its groups, sorted by id (stable flow order). */
export function rulesOfPort(view: TopologyView, port: PortView): SecurityGroupRuleInput[] {
  const idx = sgIndexOf(view);
  const out: SecurityGroupRuleInput[] = [];
  for (const g of new Set(port.securityGroups ?? [])) {
    for (const id of idx.rulesByGroup.get(g) ?? []) {
      const r = idx.rules.get(id);
      if (r) out.push(r);
    }
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Addresses of the members of a group (fixed IPs and allowed address pairs), sorted and unique. */
export function groupMemberAddresses(view: TopologyView, groupId: string): string[] {
  const ips = new Set<string>();
  for (const pid of sgIndexOf(view).portsByGroup.get(groupId) ?? []) {
    const p = view.ports.get(pid);
    if (!p) continue;
    for (const f of p.fixedIps) ips.add(f.ipAddress);
    for (const a of p.allowedAddressPairs) ips.add(a.ipAddress);
  }
  return [...ips].sort();
}

/**
 * Hosts of the ports whose rules name one of these groups as remote group (their host-wide address
 * sets list the groups' addresses). Read from per-host counts: a scan of every member made each port
 * event O(group size), and port creates slowed down as the default group grew.
 */
function hostsReferencing(view: TopologyView, groups: Iterable<string>, out: Set<string>): void {
  const idx = sgIndexOf(view);
  for (const g of groups) {
    for (const referrer of idx.groupsByRemote.get(g)?.keys() ?? []) {
      for (const host of idx.hostsByGroup.get(referrer)?.keys() ?? []) out.add(host);
    }
  }
}

/**
 * Ports whose own security-group flows an event may change, beyond the port the event names (read from the
 * view as it is; incremental.ts calls this before and after folding, like its own touch rules).
 */
export function securityGroupTouches(view: TopologyView, ev: TopologyEvent): Set<string> {
  const out = new Set<string>();
  const idx = sgIndexOf(view);
  switch (ev.type) {
    case 'SecurityGroupRuleCreated': case 'SecurityGroupRuleDeleted': {
      // the group the event names, and the one the recorded rule with this id is in (a reused id moves it)
      const groups = [ev.data.securityGroupId, idx.rules.get(ev.data.id)?.securityGroupId ?? ev.data.securityGroupId];
      for (const g of groups) for (const pid of idx.portsByGroup.get(g) ?? []) out.add(pid);
      return out;
    }
    case 'SecurityGroupDeleted':
      for (const pid of idx.portsByGroup.get(ev.data.id) ?? []) out.add(pid);
      return out;
    default:
      // a member's addresses reach other ports only through the host-wide address units (addressSetTouches)
      return out;
  }
}
