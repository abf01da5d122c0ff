// The pipeline as data is consistent with the flows, stays within the per-port flow budget, and floods big networks in chunks.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import { resourceIdBits } from '../../projections/pipeline/cookie.ts';
import { FLOOD_OUTPUTS_PER_FLOW } from '../../projections/pipeline/stages/flood.ts';
import { PIPELINE, RESERVED_TABLES } from '../../projections/pipeline/tables.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { sendPacket } from './support/flowInterpreter.ts';
import { hostRegistered, networkCreated, switchPort, vmPort } from './support/topologyFixtures.ts';
import { NET1, VNI1, scenarioEvents } from './support/scenario.ts';

/** The budget: flows per port on its host. */
const FLOWS_PER_PORT_BUDGET = 15;
/** OFPP_NORMAL (OpenFlow 1.3.5 section 7.2.1): esdn never hands forwarding back to the switch. */
const OFPP_NORMAL = 0xfffffffa;

function fold(events: TopologyEvent[]) {
  const v = emptyView();
  for (const e of events) applyTopologyEvent(v, e);
  return v;
}

/** Above every VM port number in the big network. */
const BIG_TUNNEL_OFPORT = 4000;

function manyPorts(n: number): TopologyEvent[] {
  const events: TopologyEvent[] = [networkCreated(NET1, VNI1), hostRegistered('hv1', '192.0.2.11'), hostRegistered('hv2', '192.0.2.12'),
    switchPort('hv1', 'vxlan0', BIG_TUNNEL_OFPORT), switchPort('hv2', 'vxlan0', BIG_TUNNEL_OFPORT)];
  for (let i = 0; i < n; i++) {
    const hex = i.toString(16).padStart(8, '0');
    const mac = `02:00:${hex.slice(0, 2)}:${hex.slice(2, 4)}:${hex.slice(4, 6)}:${hex.slice(6, 8)}`;
    events.push(...vmPort({ id: `${hex}-0000-4000-8000-000000000000`, networkId: NET1, mac, ips: [`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`], host: 'hv1', ofport: i + 1 }));
  }
  // one port on hv2 so hv1 floods to it too
  events.push(...vmPort({ id: 'ffffffff-0000-4000-8000-000000000000', networkId: NET1, mac: '02:ff:00:00:00:01', ips: ['10.255.0.1'], host: 'hv2', ofport: 1 }));
  return events;
}

describe('pipeline', () => {
  it('declares each table once, and every goto, resubmit and default flow targets a declared table', () => {
    const ids = PIPELINE.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of RESERVED_TABLES) for (const id of ids) expect(id < r.from || id > r.to).toBe(true);
    const flows = [...desiredFlows(fold(scenarioEvents()), 'hv1').values()];
    for (const f of flows) {
      expect(ids).toContain(f.tableId);
      for (const i of f.instructions) {
        if (i.type === 'goto_table') expect(ids).toContain(i.tableId);
        if (i.type === 'apply_actions') for (const a of i.actions) {
          if (a.type === 'resubmit') expect(ids).toContain(a.table);
          if (a.type === 'output') expect(a.port).not.toBe(OFPP_NORMAL);
        }
      }
    }
  });

  it(`spends at most ${FLOWS_PER_PORT_BUDGET} flows per port on its host (and 2 on each other host of its network)`, () => {
    const v = fold(scenarioEvents());
    const byPort = (flows: Iterable<DesiredFlow>, id: string) => [...flows].filter((f) => (f.cookie & ((1n << 40n) - 1n)) === resourceIdBits(id) && ((f.cookie >> 40n) & 0xfn) === 1n);
    for (const p of v.ports.values()) {
      const own = byPort(desiredFlows(v, p.hostId).values(), p.id);
      expect(own.length).toBeGreaterThan(0);
      expect(own.length).toBeLessThanOrEqual(FLOWS_PER_PORT_BUDGET);
    }
    const b1 = [...v.ports.values()].find((p) => p.hostId === 'hv2')!;
    expect(byPort(desiredFlows(v, 'hv1').values(), b1.id)).toHaveLength(2);
  });

  it(`floods a network of 200 local ports through chained flows of at most ${FLOOD_OUTPUTS_PER_FLOW} outputs, reaching every port once`, () => {
    const n = 200;
    const flows = [...desiredFlows(fold(manyPorts(n)), 'hv1').values()];
    const flood = flows.filter((f) => f.tableId === 80 && f.priority > 0);
    for (const f of flood) {
      const outputs = f.instructions.flatMap((i) => (i.type === 'apply_actions' ? i.actions : [])).filter((a) => a.type === 'output');
      expect(outputs.length).toBeLessThanOrEqual(FLOOD_OUTPUTS_PER_FLOW);
    }
    const t = sendPacket(flows, { in_port: 1, eth_src: '02:00:00:00:00:00', eth_dst: 'ff:ff:ff:ff:ff:ff', eth_type: 0x0800, ipv4_src: '10.0.0.0', ipv4_dst: '10.0.0.9' });
    const ports = t.outputs.map((o) => o.port);
    expect(new Set(ports).size).toBe(ports.length);
    expect(ports.filter((p) => p !== BIG_TUNNEL_OFPORT)).toHaveLength(n - 1);
    expect(ports.filter((p) => p === BIG_TUNNEL_OFPORT)).toHaveLength(1);
    const fromTunnel = sendPacket(flows, { in_port: BIG_TUNNEL_OFPORT, tunnel_id: BigInt(VNI1), eth_dst: 'ff:ff:ff:ff:ff:ff', eth_src: '02:ff:00:00:00:01', eth_type: 0x0800 });
    expect(fromTunnel.outputs).toHaveLength(n);
  });
});
