// Human-readable forms of the audit answers for `esdn audit` (the JSON forms are the API's bodies).
import type { AuditEventJson, EventRef } from '../audit/eventJson.ts';
import type { DiffAnswer, HistoryAnswer, StateAnswer, FlowsAnswer, VerifyAnswer } from '../audit/auditService.ts';
import type { ReplayStats } from '../audit/auditIndex.ts';
import type { Explanation } from '../audit/explain.ts';
import type { FlowLine } from '../audit/flowLines.ts';
import { COLLECTIONS, type Json } from '../audit/render.ts';

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

export function refLine(e: EventRef): string {
  return `#${e.position}  ${e.at}  ${e.actor.user_id}/${e.actor.project_id}  ${e.type}  ${e.stream}  ${e.request_id}`;
}

export function formatEvent(e: AuditEventJson): string {
  return `${refLine(e)}  ${JSON.stringify(e.data)}`;
}

function label(r: Json): string {
  const rule = r.direction !== undefined ? `${show(r.direction)} ${show(r.ethertype)} ${show(r.protocol ?? 'any')}` : undefined;
  const name = r.name ?? r.floating_ip_address ?? rule ?? r.cidr ?? '';
  const extra = r.cidr !== undefined && r.name !== undefined ? ` ${show(r.cidr)}` : '';
  return `${show(r.id)}  ${show(name)}${extra}${r.status !== undefined ? `  ${show(r.status)}` : ''}`;
}

export function formatState(s: StateAnswer): string {
  const lines = [`# state at position ${s.position}${s.at ? ` (${s.at})` : ' (before the first event)'}`];
  for (const c of COLLECTIONS) {
    lines.push(`${c} (${s[c].length})`);
    for (const r of s[c]) lines.push(`  ${label(r)}`);
  }
  return lines.join('\n');
}

export function formatDiff(d: DiffAnswer): string {
  const lines = [`# diff from position ${d.from.position} to ${d.to.position}`];
  const by = (id: string) => (d.by[id] ?? []).map((e) => `    by ${e.actor.user_id}/${e.actor.project_id} at ${e.at} (${e.type}, #${e.position}, ${e.request_id})`);
  for (const x of d.created) lines.push(`+ ${x.collection}/${label(x.resource)}`, ...by(x.id));
  for (const x of d.changed) {
    lines.push(`~ ${x.collection}/${x.id}`);
    for (const c of x.changes) lines.push(`    ${c.field}: ${show(c.from)} -> ${show(c.to)}`);
    lines.push(...by(x.id));
  }
  for (const x of d.deleted) lines.push(`- ${x.collection}/${label(x.resource)}`, ...by(x.id));
  return lines.join('\n');
}

export function formatHistory(h: HistoryAnswer): string {
  const lines = [`# history of ${h.collection ?? 'resource'} ${h.resource_id}`];
  for (const e of h.events) {
    lines.push(refLine(e));
    // a whole resource appearing or going away reads better as one line (--json has every field)
    const fields = Object.fromEntries(e.changes.map((c) => [c.field, c.to ?? c.from]));
    if (e.changes.length > 1 && e.changes.every((c) => c.from === null)) lines.push(`    created: ${label(fields)}`);
    else if (e.changes.length > 1 && e.changes.every((c) => c.to === null)) lines.push(`    deleted: ${label(fields)}`);
    else for (const c of e.changes) lines.push(`    ${c.field}: ${show(c.from)} -> ${show(c.to)}`);
  }
  return lines.join('\n');
}

function flowText(l: FlowLine): string {
  const from = l.resources.map((r) => `${r.kind} ${r.id}`).join(', ') || 'pipeline';
  return `${l.flow}  # ${l.stage} <- ${from}`;
}

export function formatFlows(f: FlowsAnswer): string {
  return [`# desired flows of ${f.host} at position ${f.position}${f.at ? ` (${f.at})` : ''}: ${f.flows.length}`, ...f.flows.map(flowText)].join('\n');
}

export function formatExplanation(x: Explanation): string {
  const lines = [`# cookie ${x.cookie} on ${x.host} at position ${x.position}: ${x.owner === 'foreign' ? 'not esdn\'s (foreign flow)' : `stage ${x.stage}`}`];
  if (x.matches_desired !== undefined) lines.push(`# the flow ${x.matches_desired ? 'is exactly' : 'is NOT'} what esdn wants there`);
  for (const f of x.flows) lines.push(`desired: ${f.flow}`);
  for (const r of x.resources) {
    lines.push(`${r.kind} ${r.resource ? label(r.resource) : `${r.id}  (deleted)`}`);
    for (const e of r.events) lines.push(`  ${refLine(e)}`);
  }
  return lines.join('\n');
}

export function formatVerify(v: VerifyAnswer): string {
  const lines = [`# ${v.host} at position ${v.position}: ${v.in_sync ? 'in sync' : 'DRIFT'} (${v.matching} matching, ${v.missing.length} missing, ${v.extra.length} extra, ${v.different.length} different)`];
  for (const l of v.missing) lines.push(`missing: ${flowText(l)}`);
  for (const l of v.extra) lines.push(`extra: ${flowText(l)}`);
  for (const d of v.different) lines.push(`different: want ${d.desired.flow}`, `           have ${d.installed.flow}`);
  return lines.join('\n');
}

/** One line: what the replay behind an answer cost, and where it started. */
export function formatStats(s: ReplayStats, file: string | undefined): string {
  const from = s.restoredFrom === null ? 'no persisted checkpoint' : `persisted checkpoint at position ${s.restoredFrom}`;
  const wrote = s.persistedAt === null ? '' : `; wrote a checkpoint at position ${s.persistedAt}`;
  const err = s.checkpointError === null ? '' : `; ${s.checkpointError}`;
  return `replayed ${s.replayed} events from ${from} (${file ?? 'no checkpoint file'})${wrote}${err}`;
}
