// Interned flow parts: the same match field, action or instruction is one frozen object shared by every flow that uses it.
import { describe, expect, test } from 'vitest';
import { applyActions, flow, gotoOnly, gotoTable, m, move, output, releaseInternPools, setField, writeMetadata } from '../../projections/pipeline/flow.ts';
import { FlowProjection } from '../../projections/flows/incremental.ts';
import { interfaceName } from '../../projections/topology/view.ts';
import { hostRegistered, networkCreated, switchPort, vmPort } from './support/topologyFixtures.ts';

describe('interned flow parts', () => {
  test('equal primitive fields give one frozen object; masks and types keep them apart', () => {
    expect(m('eth_type', 0x800)).toBe(m('eth_type', 0x800));
    expect(m('metadata', 7n)).toBe(m('metadata', 7n));
    expect(m('eth_src', 'fa:16:3e:00:00:01')).toBe(m('eth_src', 'fa:16:3e:00:00:01'));
    expect(Object.isFrozen(m('in_port', 3))).toBe(true);
    expect(m('ipv4_src', '10.0.0.0', '255.255.255.0')).not.toBe(m('ipv4_src', '10.0.0.0'));
    expect(m('ipv4_src', '10.0.0.0', '255.255.255.0')).toEqual({ field: 'ipv4_src', value: '10.0.0.0', mask: '255.255.255.0' });
    expect(m('udp_src', 68)).not.toBe(m('udp_dst', 68));
    expect(m('udp_src', 68)).toEqual({ field: 'udp_src', value: 68 });
  });

  test('actions and instructions are shared and cannot be changed', () => {
    expect(output(5)).toBe(output(5));
    expect(setField('reg7', 5)).toBe(setField('reg7', 5));
    expect(gotoTable(10)).toBe(gotoTable(10));
    expect(gotoOnly(10)).toEqual([gotoTable(10)]);
    expect(writeMetadata(9n)).toBe(writeMetadata(9n));
    expect(move('eth_src', 'eth_dst', 48)).toBe(move('eth_src', 'eth_dst', 48));
    expect(move('eth_src', 'eth_dst', 48)).not.toBe(move('arp_sha', 'arp_tha', 48));
    expect(() => (gotoOnly(10) as unknown[]).push(gotoTable(20))).toThrow(TypeError);
    expect(() => { (output(5) as { port: number }).port = 6; }).toThrow(TypeError);
    // lists of actions stay per flow (their contents are shared)
    expect(applyActions([output(5)])).not.toBe(applyActions([output(5)]));
  });

  test('in a projection, two ports share their common parts and keep their own', () => {
    const net = 'n0000000-0000-4000-8000-000000000000';
    const proj = new FlowProjection();
    const a = 'a0000000-0000-4000-8000-000000000000';
    const b = 'b0000000-0000-4000-8000-000000000000';
    proj.applyBatch([hostRegistered('hv1', '192.0.2.1'), switchPort('hv1', 'vxlan0', 1), networkCreated(net, 100),
      ...vmPort({ id: a, networkId: net, mac: 'fa:16:3e:00:00:0a', ips: ['10.0.0.10'], host: 'hv1', ofport: 2 }),
      ...vmPort({ id: b, networkId: net, mac: 'fa:16:3e:00:00:0b', ips: ['10.0.0.11'], host: 'hv1', ofport: 3 })]);
    expect(interfaceName(a, {})).toMatch(/^tap/);
    const flows = [...proj.desired('hv1').values()];
    const gotos = flows.flatMap((f) => f.instructions).filter((i) => i.type === 'goto_table' && i.tableId === 20);
    expect(gotos.length).toBeGreaterThan(2);
    expect(new Set(gotos).size).toBe(1);
    const inPorts = flows.flatMap((f) => f.match).filter((o) => o.field === 'in_port');
    expect(new Set(inPorts).size).toBe(new Set(inPorts.map((o) => (o as { value: number }).value)).size);
  });

  test('after the pools are released, parts are made again, equal and frozen, and a projection keeps its flows', () => {
    const net = 'n0000000-0000-4000-8000-000000000000';
    const a = 'a0000000-0000-4000-8000-000000000000';
    const b = 'b0000000-0000-4000-8000-000000000000';
    const proj = new FlowProjection();
    proj.applyBatch([hostRegistered('hv1', '192.0.2.1'), switchPort('hv1', 'vxlan0', 1), networkCreated(net, 100),
      ...vmPort({ id: a, networkId: net, mac: 'fa:16:3e:00:00:0a', ips: ['10.0.0.10'], host: 'hv1', ofport: 2 })]);
    const held = new Map(proj.desired('hv1'));
    const before = { field: m('eth_type', 0x800), out: output(5), set: setField('reg7', 5), goto: gotoOnly(10) };
    releaseInternPools();
    const after = { field: m('eth_type', 0x800), out: output(5), set: setField('reg7', 5), goto: gotoOnly(10) };
    for (const k of ['field', 'out', 'set', 'goto'] as const) {
      expect(after[k]).not.toBe(before[k]);
      expect(after[k]).toEqual(before[k]);
      expect(Object.isFrozen(after[k])).toBe(true);
    }
    // shared again from now on
    expect(m('eth_type', 0x800)).toBe(after.field);
    // a second port after the release: the first port's flows stay the same objects, nothing else changes
    const changes = proj.applyBatch(vmPort({ id: b, networkId: net, mac: 'fa:16:3e:00:00:0b', ips: ['10.0.0.11'], host: 'hv1', ofport: 3 }));
    const deletes = changes.get('hv1')?.deletes ?? new Set();
    expect([...held.keys()].filter((k) => deletes.has(k))).toEqual([]);
    for (const [k, f] of held) if (!changes.get('hv1')?.upserts.has(k)) expect(proj.desired('hv1').get(k)).toBe(f);
  });

  test('a flow holds its own exact copy of the match it was given (a spread literal has spare room)', () => {
    const tail = [m('ipv4_src', '10.0.0.1')];
    const given = [m('in_port', 1), m('eth_type', 0x800), ...tail];
    const f = flow(10, 100, given, gotoOnly(20), 1n);
    expect(f.match).not.toBe(given);
    expect(f.match).toEqual(given);
    // its parts are still the shared ones
    expect(f.match[0]).toBe(m('in_port', 1));
  });
});
