// Every audit question over a scripted history (several actors; create, change, delete) on real SQLite, through the service and /v1/audit.
import { copyFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditService } from '../../src/audit/auditService.ts';
import { projectionHash, projectionText } from '../../src/audit/hash.ts';
import { SqliteEventStore } from '../../src/eventStore/sqlite/sqliteEventStore.ts';
import type { RecordedEvent } from '../../src/eventStore/types.ts';
import { desiredFlows } from '../../projections/flows/desired.ts';
import { explainCookie } from '../../projections/pipeline/cookie.ts';
import { formatFlowMod } from '../../openflow/text/format.ts';
import { asTopologyEvent } from '../../projections/topology/inputs.ts';
import { applyTopologyEvent, emptyView } from '../../projections/topology/view.ts';
import { LIVE_LISTS, useScriptedHistory, T0, type Scripted } from './scriptedHistory.ts';

let h: Scripted;
let log: RecordedEvent[];

useScriptedHistory((history, all) => {
  h = history;
  log = all;
});

const pick = (state: object) => Object.fromEntries(Object.keys(LIVE_LISTS).map((k) => [k, (state as Record<string, unknown>)[k]]));
const empty = Object.fromEntries(Object.keys(LIVE_LISTS).map((k) => [k, []]));

describe('state at a point', () => {
  it('equals the live API lists after every step, by position', async () => {
    for (const step of h.steps) {
      const s = await h.audit.state(String(step.position));
      expect(pick(s), step.name).toEqual(step.lists);
      expect(s.position).toBe(Number(step.position));
    }
  });

  it('at positions between steps (inside a multi-event intent) is the state after the last event at or before it', async () => {
    const portStep = h.steps.findIndex((s) => s.name === 'alice creates port vm1');
    const before = h.steps[portStep - 1];
    const inside = log.filter((e) => e.position > before.position && e.position < h.steps[portStep].position);
    expect(inside.length).toBeGreaterThan(0); // the default security group comes first
    const s = await h.audit.state(String(inside[0].position));
    expect(s.position).toBe(Number(inside[0].position));
    expect(s.ports).toEqual(before.lists.ports);
    expect(s.security_groups.length).toBeGreaterThan((before.lists.security_groups as unknown[]).length);
  });

  it('by ISO-8601 time: between two steps it is the earlier step; before the first event it is empty', async () => {
    for (let i = 0; i < h.steps.length - 1; i++) {
      const last = log.find((e) => e.position === h.steps[i].position)!;
      const between = new Date(Date.parse(last.metadata.at) + 30_000).toISOString();
      expect(pick(await h.audit.state(between)), h.steps[i].name).toEqual(h.steps[i].lists);
    }
    const before = await h.audit.state(new Date(T0 - 1).toISOString());
    expect(before.position).toBe(-1);
    expect(before.at).toBeNull();
    expect(pick(before)).toEqual(empty);
    expect(pick(await h.audit.state('0'))).toEqual(empty);
  });

  it('past the head is the head; no point is the head', async () => {
    const last = h.steps[h.steps.length - 1];
    expect(pick(await h.audit.state('999999'))).toEqual(last.lists);
    expect(pick(await h.audit.state())).toEqual(last.lists);
  });

  it('refuses what is neither a position nor a time', async () => {
    await expect(h.audit.state('yesterday')).rejects.toMatchObject({ status: 400 });
  });
});

describe('diff', () => {
  it('lists created, changed field by field and deleted, with who did it', async () => {
    const from = h.steps.find((s) => s.name === 'bob creates net-b')!;
    const to = h.steps.find((s) => s.name === 'bob deletes net-b')!;
    const d = await h.audit.diff(String(from.position), String(to.position));
    expect(d.deleted.map((x) => [x.collection, x.id])).toEqual([['networks', h.ids.netB]]);
    expect(d.by[h.ids.netB].map((e) => [e.type, e.actor.user_id])).toEqual([['NetworkDeleted', 'bob']]);
    const created = d.created.filter((x) => x.collection === 'ports');
    expect(created.filter((x) => x.resource.device_owner === '').map((x) => x.id)).toEqual([h.ids.portA]);
    const iface = created.find((x) => x.resource.device_owner === 'network:router_interface')!;
    expect(iface.resource.device_id).toBe(h.ids.routerA);
    expect(d.by[iface.id].map((e) => e.actor.user_id)).toContain('alice');
    expect(d.created.filter((x) => x.collection === 'routers').map((x) => x.id)).toEqual([h.ids.routerA]);
    const net = d.changed.find((x) => x.id === h.ids.netA)!;
    expect(net.changes.find((c) => c.field === 'name')).toEqual({ field: 'name', from: 'net-a', to: 'net-a2' });
    expect(d.by[h.ids.netA].map((e) => [e.type, e.actor.user_id])).toEqual([['NetworkUpdated', 'alice']]);
    expect(d.by[h.ids.portA].map((e) => [e.type, e.actor.user_id])).toEqual([
      ['PortCreated', 'alice'], ['PortBoundToHost', 'root'], ['PortWired', 'esdn'], ['PortUpdated', 'alice'],
    ].filter(([t]) => log.some((e) => e.type === t)));
  });

  it('between equal points is empty, and from after to is refused', async () => {
    const p = String(h.steps[3].position);
    const d = await h.audit.diff(p, p);
    expect([d.created, d.changed, d.deleted]).toEqual([[], [], []]);
    await expect(h.audit.diff(String(h.steps[4].position), p)).rejects.toMatchObject({ status: 400 });
  });
});

describe('history of one resource', () => {
  it('lists every change with actor, time, request id and fields', async () => {
    const hist = await h.audit.history(h.ids.netA);
    expect(hist.collection).toBe('networks');
    expect(hist.events.map((e) => [e.type, e.actor.user_id, e.actor.project_id])).toEqual([
      ['NetworkCreated', 'alice', 'proj-a'], ['NetworkUpdated', 'alice', 'proj-a'],
    ]);
    const rename = h.steps.find((s) => s.name === 'alice renames net-a')!;
    expect(hist.events[1].request_id).toBe(rename.requestId);
    expect(hist.events[1].position).toBe(Number(rename.position));
    expect(hist.events[1].at).toBe(log.find((e) => e.position === rename.position)!.metadata.at);
    expect(hist.events[1].changes.map((c) => c.field).sort()).toEqual(['name', 'revision_number', 'updated_at']);
    expect(hist.events[0].changes.find((c) => c.field === 'name')).toEqual({ field: 'name', from: null, to: 'net-a' });
  });

  it('of a deleted resource ends with every field going away', async () => {
    const hist = await h.audit.history(h.ids.netB);
    expect(hist.events.map((e) => [e.type, e.actor.user_id])).toEqual([['NetworkCreated', 'bob'], ['NetworkDeleted', 'bob']]);
    expect(hist.events[1].changes.find((c) => c.field === 'name')).toEqual({ field: 'name', from: 'net-b', to: null });
  });

  it('of an unknown id is a 404', async () => {
    await expect(h.audit.history('no-such-id')).rejects.toMatchObject({ status: 404 });
  });
});

describe('events', () => {
  it('filters by actor (user or project), type, resource, request id, time and position', async () => {
    const bob = await h.audit.events({ actor: 'bob' });
    expect(bob.events.map((e) => e.type)).toEqual(['NetworkCreated', 'NetworkDeleted']);
    expect((await h.audit.events({ actor: 'proj-b' })).events).toEqual(bob.events);
    expect((await h.audit.events({ type: 'NetworkDeleted' })).events.map((e) => e.data)).toEqual([{ id: h.ids.netB }]);
    const port = await h.audit.events({ resourceId: h.ids.portA });
    expect(port.events.every((e) => JSON.stringify(e.data).includes(h.ids.portA))).toBe(true);
    expect(port.events.map((e) => e.type)).toContain('PortBoundToHost');
    const rename = h.steps.find((s) => s.name === 'alice renames vm1')!;
    expect((await h.audit.events({ requestId: rename.requestId })).events.map((e) => e.type)).toEqual(['PortUpdated']);
    const all = await h.audit.events({});
    expect(all.events.map((e) => e.position)).toEqual(log.map((e) => Number(e.position)));
    const mid = log[5];
    const since = await h.audit.events({ since: mid.metadata.at });
    expect(since.events.every((e) => e.at >= mid.metadata.at)).toBe(true);
    expect(since.events.length).toBe(log.filter((e) => e.metadata.at >= mid.metadata.at).length);
    const until = await h.audit.events({ until: mid.metadata.at });
    expect(until.events.length).toBe(log.filter((e) => e.metadata.at <= mid.metadata.at).length);
    const range = await h.audit.events({ fromPosition: log[2].position, toPosition: log[4].position });
    expect(range.events.map((e) => e.position)).toEqual([3, 4].map((i) => Number(log[i].position)));
    const page = await h.audit.events({ limit: 2 });
    expect(page.events.length).toBe(2);
    expect(page.next_from_position).toBe(page.events[1].position);
  });
});

describe('flows at a point and explain', () => {
  /** The reference: the desired table folded directly from the log prefix. */
  function referenceView(upTo: bigint) {
    const view = emptyView();
    for (const e of log) {
      if (e.position > upTo) break;
      const t = asTopologyEvent(e);
      if (t) applyTopologyEvent(view, t);
    }
    return view;
  }
  const reference = (upTo: bigint): string[] => [...desiredFlows(referenceView(upTo), 'hv1').values()].map((f) => formatFlowMod(f)).sort();

  it('gives the desired table of the switch at every step, in ovs-ofctl syntax', async () => {
    for (const step of h.steps) {
      const f = await h.audit.flows('hv1', String(step.position));
      expect(f.flows.map((l) => l.flow).sort(), step.name).toEqual(reference(step.position));
    }
    const final = await h.audit.flows('hv1');
    expect(final.flows.some((l) => l.flow.includes('in_port=7'))).toBe(true);
    // provenance through the indexed explainer equals the projection's own explainCookie
    const view = referenceView(BigInt(final.position));
    for (const l of final.flows) expect(l.resources).toEqual((explainCookie(BigInt(l.cookie), view) as { resources?: unknown }).resources ?? []);
    expect(final.flows.some((l) => l.resources.some((r) => r.id === h.ids.portA))).toBe(true);
    // the router's flows explain back to the router too (a cookie kind the indexed explainer must not lose)
    expect(final.flows.some((l) => l.resources.some((r) => r.id === h.ids.routerA))).toBe(true);
    await expect(h.audit.flows('hv1', new Date(T0).toISOString())).rejects.toMatchObject({ status: 404 });
  });

  it('explains a port flow by cookie and by dump-flows line: the port and the events that made it, with actors', async () => {
    const final = await h.audit.flows('hv1');
    const line = final.flows.find((l) => l.flow.includes('in_port=7') && l.resources.some((r) => r.id === h.ids.portA))!;
    expect(line).toBeDefined();
    const byCookie = await h.audit.explain('hv1', { cookie: line.cookie });
    expect(byCookie.owner).toBe('esdn');
    expect(byCookie.flows.map((l) => l.flow)).toContain(line.flow);
    const port = byCookie.resources.find((r) => r.id === h.ids.portA)!;
    expect(port.kind).toBe('port');
    expect((port.resource as { name: string }).name).toBe('vm1-web');
    const story = port.events.map((e) => [e.type, e.actor.user_id]);
    expect(story).toContainEqual(['PortCreated', 'alice']);
    expect(story).toContainEqual(['PortBoundToHost', 'root']);
    expect(story).toContainEqual(['SwitchPortObserved', 'esdn']);
    const dumped = `cookie=${line.cookie}, duration=12.5s, table=${line.table}, n_packets=3, n_bytes=180, ${line.flow.replace(/^cookie=\S+ table=\d+, /, '')}`;
    const byLine = await h.audit.explain('hv1', { flow: dumped });
    expect(byLine.matches_desired).toBe(true);
    expect(byLine.resources.map((r) => r.id)).toEqual(byCookie.resources.map((r) => r.id));
  });

  it('explains at a past point: before the rename the port had its old name and fewer events', async () => {
    const final = await h.audit.flows('hv1');
    const line = final.flows.find((l) => l.resources.some((r) => r.id === h.ids.portA))!;
    const at = h.steps.find((s) => s.name === 'switch hv1 reports vm1 on ofport 7')!.position;
    const past = await h.audit.explain('hv1', { cookie: line.cookie }, String(at));
    const port = past.resources.find((r) => r.id === h.ids.portA)!;
    expect((port.resource as { name: string }).name).toBe('vm1');
    expect(port.events.every((e) => e.position <= Number(at))).toBe(true);
    expect(port.events.some((e) => e.type === 'PortUpdated' && e.actor.user_id === 'alice' && e.position > Number(at))).toBe(false);
  });

  it('a hand-written flow is foreign; a bad line is a 400', async () => {
    const foreign = await h.audit.explain('hv1', { flow: 'cookie=0x0, table=0, priority=1 actions=drop' });
    expect(foreign.owner).toBe('foreign');
    expect(foreign.resources).toEqual([]);
    await expect(h.audit.explain('hv1', { flow: 'table=0, bogus_field=1 actions=drop' })).rejects.toMatchObject({ status: 400 });
    await expect(h.audit.explain('hv1', { cookie: 'zz' })).rejects.toMatchObject({ status: 400 });
  });
});

describe('deterministic replay and checkpoints', () => {
  it('the same log gives byte-identical projections: twice, and on a copy of the log', async () => {
    const a = new AuditService(h.store);
    const b = new AuditService(h.store);
    const hashA = projectionHash(await a.stateAt());
    expect(projectionHash(await b.stateAt())).toBe(hashA);
    const copy = join(h.dir, 'copy.db');
    // the WAL holds the newest commits until SQLite checkpoints it: a copy of the log is both files
    copyFileSync(h.dbPath, copy);
    if (existsSync(`${h.dbPath}-wal`)) copyFileSync(`${h.dbPath}-wal`, `${copy}-wal`);
    const copied = SqliteEventStore.open(copy);
    try {
      expect(projectionHash(await new AuditService(copied).stateAt())).toBe(hashA);
    } finally {
      await copied.close();
    }
  });

  it('answers from checkpoints equal answers replayed from the start, at every position', async () => {
    const noCheckpoints = new AuditService(h.store, { checkpointEvery: 1e9 });
    const everyTwo = new AuditService(h.store, { checkpointEvery: 2 });
    await everyTwo.index.sync();
    expect(everyTwo.index.checkpointCount).toBe(Math.floor(log.length / 2));
    for (let p = -1; p <= log.length + 1; p++) {
      const ref = projectionText(await noCheckpoints.stateAt(String(p)));
      expect(projectionText(await everyTwo.stateAt(String(p))), `position ${p}`).toBe(ref);
      // asking again after a later question must not see that question's replay (checkpoints are not shared)
      expect(projectionText(await everyTwo.stateAt(String(p)))).toBe(ref);
    }
  });
});

describe('HTTP /v1/audit', () => {
  it('answers admins at the paths of the issue', async () => {
    const step = h.steps[4];
    const state = await h.admin.get(`/v1/audit/state?at=${step.position}`);
    expect(state.status).toBe(200);
    expect(pick(state.body)).toEqual(step.lists);
    const ev = await h.admin.get(`/v1/audit/events?actor=bob&type=NetworkDeleted`);
    expect(ev.body.events.map((e: { type: string }) => e.type)).toEqual(['NetworkDeleted']);
    expect((await h.admin.get(`/v1/audit/history/${h.ids.netA}`)).body.events.length).toBe(2);
    expect((await h.admin.get(`/v1/audit/diff?from=${h.steps[0].position}&to=${h.steps[1].position}`)).body.created.map((x: { id: string }) => x.id)).toContain(h.ids.netA);
    const flows = await h.admin.get('/v1/audit/flows/hv1');
    expect(flows.status).toBe(200);
    const cookie = flows.body.flows.find((l: { stage: string }) => l.stage !== 'default').cookie;
    expect((await h.admin.get(`/v1/audit/explain/hv1?cookie=${cookie}`)).body.owner).toBe('esdn');
    const line = encodeURIComponent(flows.body.flows[0].flow);
    expect((await h.admin.get(`/v1/audit/explain/hv1?flow=${line}`)).status).toBe(200);
  });

  it('refuses non-admins (403), strangers (401) and bad parameters (400) with Neutron error bodies', async () => {
    const alice = h.admin.as('t-alice');
    const denied = await alice.get('/v1/audit/state');
    expect(denied.status).toBe(403);
    expect(denied.body.NeutronError.type).toBe('PolicyNotAuthorized');
    expect((await h.admin.as('nope').get('/v1/audit/events')).status).toBe(401);
    const bad = await h.admin.get('/v1/audit/state?at=noon');
    expect(bad.status).toBe(400);
    expect(bad.body.NeutronError.message).toMatch(/at must be/);
    expect((await h.admin.get('/v1/audit/events?from_position=x')).status).toBe(400);
    expect((await h.admin.get('/v1/audit/explain/hv1')).status).toBe(400);
    expect((await h.admin.get('/v1/audit/flows/nohost')).status).toBe(404);
    expect((await h.admin.get('/v1/audit/verify/hv1')).status).toBe(503);
  });
});
