// The timeline of one more port, read from esdn's debug lines and the bench's own marks, and its table of medians (bench/oneMorePort.bench.ts).

/** A moment the bench itself saw (wall-clock ms with a fraction, the clock esdn's trace lines use). */
export interface Mark {
  stage: string;
  at: number;
}

export interface Timeline {
  /** stage -> ms since 'POST sent' */
  stages: Map<string, number>;
  /** flow_mods of the diff that wired the port */
  flowMods?: number;
}

type Line = Record<string, unknown>;

const time = (l: Line): number => Date.parse(String(l.time));
const names = (l: Line): string[] => (Array.isArray(l.events) ? (l.events as string[]) : []);
/** pino's time has whole milliseconds: a line stamped in the same millisecond as a finer mark may read up to 1 ms early. */
const MS_ROUNDING = 1;

/** The later of the two folds the port's flows need: its PortCreated and its interface's SwitchPortObserved. */
const WIRING_FOLD = 'both folded (port and interface known)';

/** Every stage of one port's way to ACTIVE that esdn's trace and the bench's marks show. */
export function readTimeline(logs: readonly Line[], run: { id: string; tap: string; marks: readonly Mark[] }): Timeline {
  const at = new Map<string, number>(run.marks.map((m) => [m.stage, m.at]));
  const start = at.get('POST sent')!;
  const after = (l: Line, t: number): boolean => time(l) >= t - MS_ROUNDING;
  const folds = logs.filter((l) => l.msg === 'feed folded');
  const foldWith = (label: string) => folds.find((l) => names(l).includes(label));

  const post = logs.find((l) => l.msg === 'http request' && l.method === 'POST' && l.path === '/v2.0/ports' && after(l, start));
  if (post) {
    at.set('HTTP answered (esdn)', time(post));
    at.set('HTTP accepted (esdn)', time(post) - Number(post.ms));
  }
  const created = foldWith(`PortCreated port-${run.id}`);
  if (created) {
    at.set('PortCreated durable (feed has it)', Number(created.receivedAt));
    at.set('PortCreated folded', Number(created.foldedAt));
  }
  const observed = logs.find((l) => l.msg === 'observations durable' && names(l).includes(`SwitchPortObserved ${run.tap}`) && Number(l.queuedAt) >= start);
  if (observed) {
    at.set('port_status in (observation queued)', Number(observed.queuedAt));
    at.set('SwitchPortObserved durable', Number(observed.durableAt));
    const p = BigInt(String(observed.position));
    const fold = folds.find((l) => BigInt(String(l.from)) <= p && p <= BigInt(String(l.to)));
    if (fold) at.set('SwitchPortObserved folded', Number(fold.foldedAt));
  }
  // the diff that wires the port follows the last of the folds it needs
  const trigger = Math.max(at.get('PortCreated folded') ?? 0, at.get('SwitchPortObserved folded') ?? 0);
  const diff = trigger > 0 ? logs.find((l) => l.msg === 'diff confirmed' && after(l, trigger)) : undefined;
  if (trigger > 0) at.set(WIRING_FOLD, trigger);
  if (diff) {
    at.set('flow_mods sent', time(diff) - Number(diff.barrierMs));
    at.set('barrier reply', time(diff));
  }
  const status = foldWith(`PortStatusChanged port-${run.id}`);
  if (status) at.set('PortStatusChanged durable', Number(status.receivedAt));
  const wired = logs.find((l) => l.msg === 'observations durable' && names(l).includes(`PortWired ${run.id}`));
  if (wired) at.set('PortWired durable', Number(wired.durableAt));

  const stages = new Map<string, number>();
  for (const [stage, t] of at) stages.set(stage, t - start);
  return { stages, flowMods: diff === undefined ? undefined : Number(diff.mods) };
}

export const median = (xs: readonly number[]): number => quantile(xs, 0.5);

/** Nearest-rank quantile. */
export function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return Number.NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

const P90 = 0.9;
const fmt = (x: number): string => (Number.isNaN(x) ? '-' : x.toFixed(1));

/** Intervals worth a row of their own: [label, from stage, to stage]. */
const INTERVALS: [string, string, string][] = [
  ['esdn after the tap: ovs-vsctl returned -> ACTIVE', 'tap on br-int (ovs-vsctl)', 'ACTIVE seen in GET'],
  ['esdn from the switch: port_status in -> ACTIVE', 'port_status in (observation queued)', 'ACTIVE seen in GET'],
  ['observation append (queue + fsync)', 'port_status in (observation queued)', 'SwitchPortObserved durable'],
  ['observation durable -> folded', 'SwitchPortObserved durable', 'SwitchPortObserved folded'],
  ['intent append (HTTP accepted -> durable)', 'HTTP accepted (esdn)', 'PortCreated durable (feed has it)'],
  ['intent durable -> folded', 'PortCreated durable (feed has it)', 'PortCreated folded'],
  ['fold -> flow_mods sent', WIRING_FOLD, 'flow_mods sent'],
  ['OVS: flow_mods sent -> barrier reply', 'flow_mods sent', 'barrier reply'],
  ['barrier reply -> ACTIVE seen in GET', 'barrier reply', 'ACTIVE seen in GET'],
  ['POST answered -> ACTIVE (tap, then all the rest)', 'POST answered', 'ACTIVE seen in GET'],
  ['bare: ovs-vsctl returned -> flows confirmed', 'tap on br-int (ovs-vsctl)', 'flows confirmed (bare client)'],
  ['bare: port_status in -> flows confirmed', 'port_status in (bare client)', 'flows confirmed (bare client)'],
];

const span = (st: ReadonlyMap<string, number>, from: string, to: string): number | undefined =>
  st.has(from) && st.has(to) ? st.get(to)! - st.get(from)! : undefined;
const OVS_WAIT: [string, string] = ['flow_mods sent', 'barrier reply'];

/**
 * esdn's own part of one more port, per run: from what started it to ACTIVE, less the time the switch
 * took to answer the barrier (OVS's part). Bind first, it starts at the tap's port_status and ends
 * when the status is durable (the bench polls GET only once ovs-vsctl returned, often after that);
 * tap first, it starts at the POST and ends when GET shows ACTIVE.
 */
const PARTS: [string, (st: ReadonlyMap<string, number>) => number | undefined][] = [
  ["esdn's part (port_status in -> status durable, less OVS's barrier wait)", (st) => {
    const all = span(st, 'port_status in (observation queued)', 'PortStatusChanged durable');
    const ovs = span(st, ...OVS_WAIT);
    return all === undefined || ovs === undefined ? undefined : all - ovs;
  }],
  ["esdn's part (POST sent -> ACTIVE in GET, less OVS's barrier wait)", (st) => {
    if (st.has('port_status in (observation queued)')) return undefined;
    const all = span(st, 'POST sent', 'ACTIVE seen in GET');
    const ovs = span(st, ...OVS_WAIT);
    return all === undefined || ovs === undefined ? undefined : all - ovs;
  }],
];

/**
 * Markdown: every stage as ms since 'POST sent' (median, p90, min, max; rows by median), then the
 * intervals between stages, then any extra rows of plain figures.
 */
export function stageTable(runs: readonly Timeline[], extra: [string, number[]][] = []): string {
  const stages = new Map<string, number[]>();
  for (const r of runs) for (const [s, t] of r.stages) stages.set(s, [...(stages.get(s) ?? []), t]);
  const row = (label: string, xs: readonly number[]) =>
    `| ${label} | ${fmt(median(xs))} | ${fmt(quantile(xs, P90))} | ${fmt(Math.min(...xs))} | ${fmt(Math.max(...xs))} | ${xs.length} |`;
  const lines = ['| stage | median ms | p90 | min | max | runs |', '|---|---|---|---|---|---|'];
  for (const [s, xs] of [...stages].sort((a, b) => median(a[1]) - median(b[1]))) lines.push(row(s, xs));
  for (const [label, from, to] of INTERVALS) {
    const xs = runs.flatMap((r) => (r.stages.has(from) && r.stages.has(to) ? [r.stages.get(to)! - r.stages.get(from)!] : []));
    if (xs.length > 0) lines.push(row(`*${label}*`, xs));
  }
  for (const [label, part] of PARTS) {
    const xs = runs.flatMap((r) => part(r.stages) ?? []);
    if (xs.length > 0) lines.push(row(`**${label}**`, xs));
  }
  for (const [label, xs] of extra) lines.push(row(label, xs));
  return lines.join('\n');
}
