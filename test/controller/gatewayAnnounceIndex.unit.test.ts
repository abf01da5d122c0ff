// A host's sync announces only that host's gateways and looks at no other host's router (the view's host -> routers index); a gateway moved away and back is announced again.
import { describe, expect, it } from 'vitest';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { gatewaysOf, gatewaysOnHost } from '../../projections/topology/gateways.ts';
import { applyTopologyEvent, emptyView, type TopologyView } from '../../projections/topology/view.ts';
import { GatewayAnnouncer } from '../../src/controller/gatewayScheduler/announce.ts';
import { gatewaySet, mappedHost, providerNetworkCreated, servicePort, subnet } from '../projections/support/externalFixtures.ts';
import { networkCreated, switchPort } from '../projections/support/topologyFixtures.ts';

const EXT = 'eeeeeeee-0000-4000-8000-00000000000e';
const HOSTS = ['hv1', 'hv2', 'hv3'];
const AT = '2026-11-26T00:00:00Z';
/** routers 0 and 1 start on hv1, router 2 on hv2; each has its own tenant network and leg */
const ROUTERS = [0, 1, 2].map((i) => `r${i}000000-0000-4000-8000-00000000000${i}`);
const START_HOST = ['hv1', 'hv1', 'hv2'];
const gwMac = (i: number) => `02:00:00:00:fe:0${i}`;

const scheduled = (r: number, host: string): TopologyEvent =>
  ({ type: 'RouterGatewayHostScheduled', data: { id: ROUTERS[r], host, reason: 'host_unavailable', physicalNetwork: 'public', at: AT } });

function view(): TopologyView {
  const events: TopologyEvent[] = [providerNetworkCreated(EXT, 'public'), subnet('se', EXT, '172.16.0.0/24', '172.16.0.1')];
  HOSTS.forEach((h, i) => events.push(mappedHost(h, `192.0.2.${i + 1}`, { public: 'ex-public' }), switchPort(h, 'vxlan0', 100), switchPort(h, 'ex-public', 7)));
  ROUTERS.forEach((id, i) => {
    const net = `a${i}000000-0000-4000-8000-00000000000a`;
    const leg = `l${i}000000-0000-4000-8000-00000000000a`;
    const gw = `g${i}000000-0000-4000-8000-00000000000e`;
    events.push(
      networkCreated(net, 201 + i), subnet(`s${i}`, net, `10.${i}.0.0/24`, `10.${i}.0.1`),
      { type: 'RouterCreated', data: { id, adminStateUp: true, routes: [] } },
      servicePort(leg, net, `02:00:00:00:ff:0${i}`, `10.${i}.0.1`, `s${i}`, 'network:router_interface'),
      { type: 'RouterInterfaceAdded', data: { id, portId: leg, subnetId: `s${i}` } },
      servicePort(gw, EXT, gwMac(i), `172.16.0.${10 + i}`, 'se', 'network:router_gateway'),
      gatewaySet(id, EXT, gw, `172.16.0.${10 + i}`, 'se'),
      scheduled(i, START_HOST[i]),
    );
  });
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

/** A Map that records the keys it is asked about and whether anyone iterated it. */
class RecordingMap<V> extends Map<string, V> {
  readonly asked = new Set<string>();
  iterated = false;
  override get(k: string): V | undefined { this.asked.add(k); return super.get(k); }
  override has(k: string): boolean { this.asked.add(k); return super.has(k); }
  override keys(): MapIterator<string> { this.iterated = true; return super.keys(); }
  override values(): MapIterator<V> { this.iterated = true; return super.values(); }
  override entries(): MapIterator<[string, V]> { this.iterated = true; return super.entries(); }
  override [Symbol.iterator](): MapIterator<[string, V]> { this.iterated = true; return super[Symbol.iterator](); }
  override forEach(f: (v: V, k: string, m: Map<string, V>) => void): void { this.iterated = true; super.forEach(f); }
}

/** Swaps the gateway index's per-router maps for recording ones (same content). */
function record(v: TopologyView) {
  const idx = gatewaysOf(v);
  const gateways = new RecordingMap(idx.gateways);
  const hosts = new RecordingMap(idx.hosts);
  Object.assign(idx, { gateways, hosts });
  return { gateways, hosts, reset: () => { for (const m of [gateways, hosts]) { m.asked.clear(); m.iterated = false; } } };
}

const sourceMac = (frame: Buffer) => [...frame.subarray(6, 12)].map((b) => b.toString(16).padStart(2, '0')).join(':');

describe('gateway announcements by host', () => {
  it('a sync of hv1 announces its two gateways and asks nothing about the router on hv2, nor walks every gateway', () => {
    const v = view();
    expect(gatewaysOnHost(v, 'hv1')).toEqual([ROUTERS[0], ROUTERS[1]]);
    const maps = record(v);
    const sent: { host: string; mac: string }[] = [];
    const announcer = new GatewayAnnouncer((host, frame) => sent.push({ host, mac: sourceMac(frame) }));
    announcer.synced(v, 'hv1', () => true);
    expect(sent).toEqual([{ host: 'hv1', mac: gwMac(0) }, { host: 'hv1', mac: gwMac(1) }]);
    for (const m of [maps.gateways, maps.hosts]) {
      expect(m.asked.has(ROUTERS[2])).toBe(false);
      expect(m.iterated).toBe(false);
    }
    // hv3 carries no gateway: its sync looks at no router at all
    maps.reset();
    announcer.synced(v, 'hv3', () => true);
    expect([...maps.gateways.asked, ...maps.hosts.asked]).toEqual([]);
    expect(sent).toHaveLength(2);
  });

  it('announces once per placement: again after a move to hv2, and again when it comes back to hv1 under a new decision', () => {
    const v = view();
    const sent: { host: string; mac: string }[] = [];
    const announcer = new GatewayAnnouncer((host, frame) => sent.push({ host, mac: sourceMac(frame) }));
    announcer.synced(v, 'hv2', () => true);
    announcer.synced(v, 'hv2', () => true);
    expect(sent).toEqual([{ host: 'hv2', mac: gwMac(2) }]);

    applyTopologyEvent(v, scheduled(0, 'hv2'));
    announcer.synced(v, 'hv1', () => true);
    announcer.synced(v, 'hv2', () => true);
    expect(sent.slice(1)).toEqual([{ host: 'hv1', mac: gwMac(1) }, { host: 'hv2', mac: gwMac(0) }]);

    // back to hv1 before hv2 synced again: a new decision, so hv1 announces it again
    applyTopologyEvent(v, scheduled(0, 'hv1'));
    announcer.synced(v, 'hv1', () => true);
    announcer.synced(v, 'hv1', () => true);
    expect(sent.slice(3)).toEqual([{ host: 'hv1', mac: gwMac(0) }]);

    // a switch that went away announces its gateways again once back
    announcer.disconnected('hv1');
    announcer.synced(v, 'hv1', () => true);
    expect(sent.slice(4).map((s) => s.mac).sort()).toEqual([gwMac(0), gwMac(1)]);
  });
});
