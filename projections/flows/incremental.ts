// Incremental desired flows: fold one event, recompute only the units it touches, return the (host, key) changes.
//
// Equal to desiredFlows() of a full recompute after every event (property test in
// test/projections/incremental.unit.test.ts). The projection owns its view and mutates it.
import { flowBody, type DesiredFlow } from '../pipeline/flow.ts';
import { asTopologyEvent, type TopologyEvent } from '../topology/inputs.ts';
import { hostsOfNetwork, networksOnHost, ofportOfPort, tunnelInterfaceOf } from '../topology/queries.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../topology/view.ts';
import { addressSetTouches, securityGroupTouches } from '../topology/securityGroups.ts';
import { routerTouches, routersTouching } from '../topology/routers.ts';
import { nextHopUnit, routerWideUnits } from './nextHopUnit.ts';
import { externalTouches } from './externalUnits.ts';
import { isProviderL2Network } from './providerPorts.ts';
import { gatewayTouches, gatewayUnit } from './gatewayUnit.ts';
import { routerUnit } from './routerUnit.ts';
import { flowIn, keepUnchanged, storeUnit, unitEntries, type StoredUnit } from './storedUnit.ts';
import { addressSetUnit, hostUnit, hostsOfUnit, memberAddressUnit, networkUnit, portUnit, unitFlows, type UnitKey } from './units.ts';

export interface HostFlowChanges {
  /** flows to add, or to modify in place (same key, other cookie or instructions) */
  upserts: Map<string, DesiredFlow>;
  /** keys of flows to delete */
  deletes: Set<string>;
}

/** host -> its changes; hosts without changes are absent. */
export type FlowChanges = Map<string, HostFlowChanges>;

interface HostTable {
  /** unit -> the flows it wants here */
  units: Map<UnitKey, StoredUnit>;
  /** key -> units that want it (the smallest wins); almost every key has one, held without a Set */
  owners: Map<string, Owners>;
  /** the desired table */
  table: Map<string, DesiredFlow>;
}

/** What an event may touch: units to recompute, and networks whose set of hosts may change. */
interface Touch {
  units: Set<UnitKey>;
  networks: Set<string>;
}

/**
 * A port's own unit, and its network's flood unit when the port is (or was) on a switch: flooding
 * lists local ports, so only ports with an OpenFlow port number change it. Called before and after
 * folding, so a port that gains or loses its number is caught on one side.
 */
function portTouch(view: TopologyView, portId: string, t: Touch, flood: boolean): void {
  t.units.add(portUnit(portId));
  // its next hops on the hosts of its network's routers (O(hosts), the router itself is not rebuilt)
  t.units.add(nextHopUnit(portId));
  const p = view.ports.get(portId);
  if (!p) return;
  t.networks.add(p.networkId);
  if (flood && ofportOfPort(view, p) !== undefined) t.units.add(networkUnit(p.networkId));
}

function hostTouch(view: TopologyView, host: string, t: Touch): void {
  t.units.add(hostUnit(host));
  for (const nid of networksOnHost(view, host)) wholeNetwork(view, nid, t);
}

function wholeNetwork(view: TopologyView, networkId: string, t: Touch): void {
  t.networks.add(networkId);
  t.units.add(networkUnit(networkId));
  for (const pid of view.portsByNetwork.get(networkId) ?? []) {
    t.units.add(portUnit(pid));
    t.units.add(nextHopUnit(pid));
  }
}

/** A router-level change: the router, its way out, and the next hops of every port of its networks. */
function routerWide(view: TopologyView, routerId: string, t: Touch): void {
  for (const u of routerWideUnits(view, routerId)) t.units.add(u);
}

/** Units and networks an event touches, read from the view as it is (called before and after folding). */
function touched(view: TopologyView, ev: TopologyEvent, t: Touch): void {
  // security groups (issue 5): rule changes reach the group's ports, address changes the ports naming the group as remote
  const sgPorts = securityGroupTouches(view, ev);
  for (const pid of sgPorts) t.units.add(portUnit(pid));
  addressSetTouches(view, ev, (h, a) => t.units.add(a === undefined ? addressSetUnit(h) : memberAddressUnit(h, a)));
  // routers (issue 5): the router an event names, routers on a changed subnet or on a touched network
  // (the router's way out, SNAT and the tunnel to its gateway host, reads the same legs and ports)
  // static routes alone are the router unit's (next hops read only the router's subnets and admin state)
  const routesOnly = ev.type === 'RouterUpdated' && ev.data.changes.adminStateUp === undefined;
  for (const rid of routerTouches(view, ev, t.networks)) {
    if (!routesOnly) routerWide(view, rid, t);
    else t.units.add(routerUnit(rid)).add(gatewayUnit(rid));
  }
  // a gateway unit's host is also where the router's next hops are: a gateway change is router-wide
  for (const u of gatewayTouches(view, ev)) routerWide(view, u.slice(2), t);
  // the external side (issue 5): provider networks and floating IPs
  for (const u of externalTouches(view, ev)) t.units.add(u);
  switch (ev.type) {
    case 'PortCreated':
      // named before folding too, so the network's hosts are known from before the event
      t.networks.add(ev.data.networkId);
      portTouch(view, ev.data.id, t, true);
      return;
    case 'PortUpdated':
      portTouch(view, ev.data.id, t, ev.data.changes.adminStateUp !== undefined);
      return;
    case 'PortBoundToHost': case 'PortUnboundFromHost': case 'PortDeleted':
      portTouch(view, ev.data.id, t, true);
      return;
    case 'NetworkCreated': case 'NetworkDeleted':
      wholeNetwork(view, ev.data.id, t);
      return;
    case 'HostRegistered': case 'HostUpdated': case 'HostDeregistered':
      hostTouch(view, ev.data.name, t);
      return;
    case 'SwitchPortObserved': case 'SwitchPortRemoved': {
      const { host, name } = ev.data;
      if (name === tunnelInterfaceOf(view, host)) return hostTouch(view, host, t);
      // a bridge_mappings port: the provider networks' VM ports on the host reach (or lose) the physical network
      if (Object.values(view.hosts.get(host)?.bridgeMappings ?? {}).includes(name)) {
        for (const nid of networksOnHost(view, host)) if (isProviderL2Network(view, nid)) wholeNetwork(view, nid, t);
      }
      for (const pid of view.portsByIface.get(host)?.get(name) ?? []) {
        const p = view.ports.get(pid);
        if (p) {
          portTouch(view, pid, t, false);
          t.units.add(networkUnit(p.networkId));
        }
      }
      return;
    }
    default:
      return;
  }
}

/**
 * The units wanting one flow key. A Set per key cost ~10 MB at 65k flows (5000 ports) while nearly
 * every key has a single owner, so one owner is held as its key and a Set only for two or more.
 */
type Owners = UnitKey | Set<UnitKey>;

/** The hosts a unit has flows on: one host as its name (a Set of one cost ~150 B, 0.7 MB at 5000 ports), a Set for two or more. */
type Hosts = string | Set<string>;

function withOwner(o: Owners | undefined, unit: UnitKey): Owners {
  if (o === undefined) return unit;
  if (typeof o === 'string') return o === unit ? o : new Set([o, unit]);
  o.add(unit);
  return o;
}

function withoutOwner(o: Owners | undefined, unit: UnitKey): Owners | undefined {
  if (o === undefined || o === unit) return undefined;
  if (typeof o === 'string') return o;
  o.delete(unit);
  if (o.size > 1) return o;
  const [only] = o;
  return only;
}

export class FlowProjection {
  readonly view: TopologyView;
  private readonly hosts = new Map<string, HostTable>();
  /** unit -> hosts where it has flows now (nearly every unit is on one: held as its name, as Owners) */
  private readonly unitHosts = new Map<UnitKey, Hosts>();

  constructor(view: TopologyView = emptyView()) {
    this.view = view;
  }

  /** The desired table of a host (live: do not mutate). */
  desired(host: string): ReadonlyMap<string, DesiredFlow> {
    return this.hosts.get(host)?.table ?? new Map();
  }

  /** Hosts that have desired flows. */
  hostNames(): string[] {
    return [...this.hosts.keys()].filter((h) => this.desired(h).size > 0).sort();
  }

  /** Folds one recorded event; returns what changed on which switch. Unknown events change nothing. */
  apply(event: { type: string; data: unknown }): FlowChanges {
    return this.applyBatch([event]);
  }

  /**
   * Folds several events, then recomputes every touched unit once: the changes from the state before
   * the first to the state after the last (cold start and bulk bring-up send one diff, not thousands).
   * Without `onError` an event that cannot be folded throws; with it, the event is reported and
   * skipped and the rest of the batch is still folded and recomputed (a caller folding a burst of the
   * log must not lose the good events' flows to one bad event).
   */
  applyBatch(events: Iterable<{ type: string; data: unknown }>, onError?: (error: unknown, event: { type: string }) => void): FlowChanges {
    const units = new Set<UnitKey>();
    for (const event of events) {
      if (!onError) {
        this.foldOne(event, units);
        continue;
      }
      try {
        this.foldOne(event, units);
      } catch (error) {
        onError(error, event);
      }
    }
    return units.size === 0 ? new Map() : this.recompute(units);
  }

  /** Folds one event into the view and adds the units it touches to `units`. */
  private foldOne(event: { type: string; data: unknown }, units: Set<UnitKey>): void {
    const ev = asTopologyEvent(event);
    if (!ev) return;
    const t: Touch = { units, networks: new Set() };
    touched(this.view, ev, t);
    const hostsBefore = new Map([...t.networks].map((n) => [n, hostsOfNetwork(this.view, n).join(',')]));
    applyTopologyEvent(this.view, ev);
    touched(this.view, ev, t);
    for (const n of t.networks) {
      // a host joined or left the network: every port of it gains or loses flows on that host, and the
      // routers on it (legs, routes, every next hop) gain or lose that host
      if (hostsBefore.get(n) === hostsOfNetwork(this.view, n).join(',')) continue;
      wholeNetwork(this.view, n, t);
      for (const rid of routersTouching(this.view, new Set([n]))) routerWide(this.view, rid, t);
    }
  }

  private recompute(units: Set<UnitKey>): FlowChanges {
    const before = new Map<string, Map<string, DesiredFlow | undefined>>();
    for (const unit of units) {
      const now = hostsOfUnit(this.view, unit);
      const was = this.unitHosts.get(unit);
      const hosts = new Set(typeof was === 'string' ? [was, ...now] : [...(was ?? []), ...now]);
      const placed = new Set<string>();
      for (const host of hosts) {
        const flows = unitFlows(this.view, unit, host);
        this.replaceUnit(host, unit, flows, before);
        if (flows.size > 0) placed.add(host);
      }
      if (placed.size === 1) this.unitHosts.set(unit, [...placed][0]!);
      else if (placed.size > 1) this.unitHosts.set(unit, placed);
      else this.unitHosts.delete(unit);
    }
    return this.diff(before);
  }

  private tableOf(host: string): HostTable {
    let t = this.hosts.get(host);
    if (!t) this.hosts.set(host, (t = { units: new Map(), owners: new Map(), table: new Map() }));
    return t;
  }

  private replaceUnit(host: string, unit: UnitKey, fresh: Map<string, DesiredFlow>, before: Map<string, Map<string, DesiredFlow | undefined>>): void {
    const t = this.tableOf(host);
    const old = t.units.get(unit);
    if ((!old && fresh.size === 0) || old === fresh) return;
    const flows = old ? keepUnchanged(old, fresh) : fresh;
    let seen = before.get(host);
    if (!seen) before.set(host, (seen = new Map()));
    // a unit new on this host (every port of a bring-up) has no old keys to merge: its flows' keys as they are
    let keys: Iterable<string> = flows.keys();
    if (old) {
      const both = new Set<string>();
      for (const [k] of unitEntries(old)) both.add(k);
      for (const k of flows.keys()) both.add(k);
      keys = both;
    }
    for (const k of keys) {
      if (!seen.has(k)) seen.set(k, t.table.get(k));
      const owners = flows.has(k) ? withOwner(t.owners.get(k), unit) : withoutOwner(t.owners.get(k), unit);
      if (owners === undefined) {
        t.owners.delete(k);
        t.table.delete(k);
        continue;
      }
      t.owners.set(k, owners);
      const winner = typeof owners === 'string' ? owners : [...owners].sort()[0];
      const f = winner === unit ? flows.get(k) : flowIn(t.units.get(winner), k);
      if (f) t.table.set(k, f);
    }
    if (flows.size > 0) t.units.set(unit, storeUnit(flows));
    else t.units.delete(unit);
  }

  private diff(before: Map<string, Map<string, DesiredFlow | undefined>>): FlowChanges {
    const changes: FlowChanges = new Map();
    for (const [host, seen] of before) {
      const t = this.hosts.get(host);
      const c: HostFlowChanges = { upserts: new Map(), deletes: new Set() };
      for (const [k, was] of seen) {
        const is = t?.table.get(k);
        if (!is) {
          if (was) c.deletes.add(k);
        } else if (was !== is && (!was || flowBody(was) !== flowBody(is))) {
          c.upserts.set(k, is);
        }
      }
      if (c.upserts.size > 0 || c.deletes.size > 0) changes.set(host, c);
      if (t && t.table.size === 0 && t.units.size === 0) this.hosts.delete(host);
    }
    return changes;
  }
}
