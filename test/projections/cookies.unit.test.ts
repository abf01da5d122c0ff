// Cookies: every desired flow carries esdn's marker and explains itself back to the resources (and streams) that made it.
import { describe, expect, it } from 'vitest';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { COOKIE_MARKER, explainCookie, isEsdnCookie, makeCookie, portCookie, resourceIdBits } from '../../projections/pipeline/cookie.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { A1, B1, NET1, VNI1, scenarioEvents } from './support/scenario.ts';

function view() {
  const v = emptyView();
  for (const e of scenarioEvents()) applyTopologyEvent(v, e);
  return v;
}

describe('flow cookies', () => {
  it('put the marker e5d0 in the top 16 bits and the port uuid prefix in the low 40 bits', () => {
    const c = portCookie('classify', A1.id);
    expect(c >> 48n).toBe(0xe5d0n);
    expect(c & ((1n << 40n) - 1n)).toBe(0xa1a1a1a100n);
    expect(`0x${c.toString(16)}`).toBe('0xe5d011a1a1a1a100');
  });

  it('explain every desired flow of every host as esdn-owned with at least one resource or the pipeline', () => {
    const v = view();
    for (const host of ['hv1', 'hv2']) {
      for (const f of desiredFlows(v, host).values()) {
        const e = explainCookie(f.cookie, v);
        expect(e.owner).toBe('esdn');
        if (e.owner !== 'esdn') continue;
        expect(e.stage).not.toBe('unknown');
        if (e.kind !== 'pipeline') expect(e.resources.length).toBeGreaterThan(0);
      }
    }
  });

  it('map a port flow on another host back to the port and its stream', () => {
    const v = view();
    const remote = [...desiredFlows(v, 'hv1').values()].find((f) => f.tableId === 60 && f.priority > 0);
    expect(remote).toBeDefined();
    const e = explainCookie(remote!.cookie, v);
    expect(e).toMatchObject({ owner: 'esdn', stage: 'l2_lookup', kind: 'port', resources: [{ kind: 'port', id: B1.id, stream: `port-${B1.id}` }] });
  });

  it('map a flood flow back to its network by VNI', () => {
    const v = view();
    const flood = [...desiredFlows(v, 'hv1').values()].find((f) => f.tableId === 80 && f.priority > 0);
    expect(explainCookie(flood!.cookie, v)).toMatchObject({ stage: 'flood', kind: 'network', idBits: BigInt(VNI1), resources: [{ id: NET1, stream: `network-${NET1}` }] });
  });

  it('call flows without the marker foreign, and never throw on odd cookies', () => {
    const v = view();
    expect(explainCookie(0n, v)).toEqual({ owner: 'foreign' });
    expect(explainCookie(0x1234n, v)).toEqual({ owner: 'foreign' });
    expect(isEsdnCookie(COOKIE_MARKER | (0xfn << 44n))).toBe(true);
    expect(explainCookie(COOKIE_MARKER | (0xfn << 44n) | (0xfn << 40n), v)).toMatchObject({ owner: 'esdn', stage: 'unknown', kind: 'unknown', resources: [] });
    expect(explainCookie(makeCookie('classify', 'port', 0x42n), v)).toMatchObject({ kind: 'port', resources: [] });
  });

  it('hash names that are not uuids into the 40-bit id, deterministically', () => {
    expect(resourceIdBits('hv1')).toBe(resourceIdBits('hv1'));
    expect(resourceIdBits('hv1')).not.toBe(resourceIdBits('hv2'));
    expect(resourceIdBits('hv1') < 1n << 40n).toBe(true);
  });
});
