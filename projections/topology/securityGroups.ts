// Security groups in the topology view: rules by group, ports by group, and which groups name another as remote group.
//
// The flows of a secured port depend on the rules of its groups and, through remote_group_id, on the
// addresses of every port in the groups those rules name. The indexes here answer both questions in
// O(affected) so incremental updates touch only the ports whose flows can change.
import type { SecurityGroupRuleInput, TopologyEvent } from './inputs.ts';
import type { PortView, TopologyView } from './view.ts';

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
}

export function emptySecurityGroupIndex(): SecurityGroupIndex {
  return { rules: new Map(), rulesByGroup: new Map(), portsByGroup: new Map(), groupsByRemote: new Map(), hostsByGroup: new Map() };
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
  return {
    rules: new Map(idx.rules), rulesByGroup: sets(idx.rulesByGroup), portsByGroup: sets(idx.portsByGroup),
    groupsByRemote: new Map([...idx.groupsByRemote].map(([k, v]) => [k, new Map(v)] as const)),
    hostsByGroup: new Map([...idx.hostsByGroup].map(([k, v]) => [k, new Map(v)] as const)),
  };
}

function addTo(m: Map<string, Set<string>>, key: string, value: string): void {
  let s = m.get(key);
  if (!s) m.set(key, (s = new Set()));
  s.add(value);
}

function removeFrom(m: Map<string, Set<string>>, key: string, value: string): void {
  const s = m.get(key);
  s?.delete(value);
  if (s?.size === 0) m.delete(key);
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

/** Adds (delta +1) or removes (-1) a port's group memberships; called where view.ts (un)indexes ports. */
export function indexPortGroups(idx: SecurityGroupIndex, port: PortView, delta: 1 | -1): void {
  for (const g of new Set(port.securityGroups ?? [])) {
    (delta > 0 ? addTo : removeFrom)(idx.portsByGroup, g, port.id);
    if (port.hostId !== '') count(idx.hostsByGroup, g, port.hostId, delta);
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
  /** present iff the rule names a remote group */
  remoteAddresses?: readonly string[];
}

/** The port's rules with remote groups resolved to their members' addresses. */
export function resolvedRulesOfPort(view: TopologyView, port: PortView): ResolvedRule[] {
  return rulesOfPort(view, port).map((rule) =>
    rule.remoteGroupId === null ? { rule } : { rule, remoteAddresses: groupMemberAddresses(view, rule.remoteGroupId) });
}

/** Remote-group rules in force on a host (of its secured ports), by rule id, with their remote groups' addresses. */
export function remoteRulesOnHost(view: TopologyView, host: string): { rule: SecurityGroupRuleInput; remoteAddresses: string[] }[] {
  const rules = new Map<string, SecurityGroupRuleInput>();
  for (const pid of view.portsByHost.get(host) ?? []) {
    const p = view.ports.get(pid);
    if (!p || !p.portSecurityEnabled || p.securityGroups === null) continue;
    for (const r of rulesOfPort(view, p)) if (r.remoteGroupId !== null) rules.set(r.id, r);
  }
  return [...rules.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((rule) => ({ rule, remoteAddresses: groupMemberAddresses(view, rule.remoteGroupId ?? '') }));
}

/**
 * Hosts whose shared remote-group flows an event may change: hosts of the ports securityGroupTouches
 * names, the host of the port the event names, and a (de)registered host.
 */
export function addressSetHostTouches(view: TopologyView, ev: TopologyEvent, ports: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const pid of ports) { const h = view.ports.get(pid)?.hostId; if (h) out.add(h); }
  switch (ev.type) {
    case 'PortCreated': case 'PortUpdated': case 'PortDeleted': case 'PortBoundToHost': case 'PortUnboundFromHost': {
      const p = view.ports.get(ev.data.id);
      if (p?.hostId) out.add(p.hostId);
      // its addresses are members of its groups: hosts with rules naming one of them
      if (p && ev.type !== 'PortBoundToHost' && ev.type !== 'PortUnboundFromHost') hostsReferencing(view, p.securityGroups ?? [], out);
      return out;
    }
    case 'SecurityGroupDeleted':
      hostsReferencing(view, [ev.data.id], out);
      return out;
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      out.add(ev.data.name);
      return out;
    default:
      return out;
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
      // a member's addresses reach other ports only through the host-wide address sets (addressSetHostTouches)
      return out;
  }
}
