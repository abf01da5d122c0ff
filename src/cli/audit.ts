// `esdn audit ...`: every audit question from the log itself (no running esdn needed), human-readable or --json.
import { setFlagsFromString } from 'node:v8';
import { Command, Option } from 'commander';
import { AuditService } from '../audit/auditService.ts';
import { eventMatcher, type EventFilter } from '../audit/eventFilter.ts';
import { eventJson } from '../audit/eventJson.ts';
import { checkpointFileFor } from '../audit/persistedCheckpoints.ts';
import { progressBar } from '../audit/progress.ts';
import { parseSwitchTarget } from '../audit/switchDump.ts';
import { HTTP_BAD_REQUEST, NeutronError } from '../domain/errors.ts';
import { openEventStore } from '../eventStore/open.ts';
import type { EventStore } from '../eventStore/types.ts';
import { SETTINGS } from '../config.ts';
import { formatDiff, formatEvent, formatStats, formatExplanation, formatFlows, formatHistory, formatState, formatVerify } from './auditFormat.ts';
import { EXIT_BAD_CONFIG, EXIT_FAILURE, EXIT_OK } from './exitCodes.ts';

/** any long interval: only its being ref'd matters */
const KEEP_ALIVE_MS = 60_000;

/** verify found drift (like diff(1) answering 1, but apart from crashes and usage errors) */
export const EXIT_DRIFT = 3;

interface Common {
  store: string;
  json?: boolean;
  /** a path, or 'none'; default: the sidecar of a sqlite: store */
  checkpoints?: string;
  stats?: boolean;
}

/** `--checkpoints none` keeps checkpoints in memory only. */
const NO_CHECKPOINT_FILE = 'none';

function storeOption(): Option {
  return new Option('--store <URL>', 'event log to read (sqlite:PATH or kurrentdb://...)').env(SETTINGS.store.env).default(SETTINGS.store.default);
}

function print<T>(opts: Common, answer: T, human: (a: T) => string): void {
  process.stdout.write(`${opts.json ? JSON.stringify(answer, null, 2) : human(answer)}\n`);
}

/** Opens the log, answers, closes; typed errors become one line on stderr and an exit status. */
async function withAudit(opts: Common, run: (audit: AuditService, store: EventStore) => Promise<number | void>): Promise<never> {
  let store: EventStore | undefined;
  let audit: AuditService | undefined;
  let code: number = EXIT_OK;
  // bin/esdn.js sizes V8 for the long-lived server (--optimize-for-size: a small young generation);
  // an audit is a short batch job that allocates a million events' worth: that sizing cost it ~35% CPU
  if (process.env.ESDN_V8_SPEED === undefined) setFlagsFromString('--no-optimize-for-size');
  try {
    store = await openEventStore(opts.store);
    const checkpointFile = opts.checkpoints === NO_CHECKPOINT_FILE ? undefined : opts.checkpoints ?? checkpointFileFor(opts.store);
    audit = new AuditService(store, { progress: progressBar(process.stderr), checkpointFile });
    code = (await run(audit, store)) ?? EXIT_OK;
    if (opts.stats) process.stderr.write(`# ${formatStats(audit.index.stats, checkpointFile)}\n`);
  } catch (error) {
    const bad = error instanceof NeutronError && error.status === HTTP_BAD_REQUEST;
    process.stderr.write(`esdn audit: ${error instanceof Error ? error.message : String(error)}\n`);
    code = bad ? EXIT_BAD_CONFIG : EXIT_FAILURE;
  } finally {
    audit?.close();
    await store?.close().catch(() => undefined);
  }
  process.exit(code);
}

function position(v: string): bigint {
  if (!/^-?\d{1,15}$/.test(v)) throw new NeutronError('BadRequest', HTTP_BAD_REQUEST, `not a log position: '${v}'`);
  return BigInt(v);
}

type EventsOpts = Common & Omit<EventFilter, 'fromPosition' | 'toPosition' | 'limit'> & { fromPosition?: string; toPosition?: string; limit?: string; follow?: boolean };

async function events(opts: EventsOpts): Promise<never> {
  return withAudit(opts, async (audit, store) => {
    const filter: EventFilter = {
      ...opts, fromPosition: opts.fromPosition === undefined ? undefined : position(opts.fromPosition),
      toPosition: opts.toPosition === undefined ? undefined : position(opts.toPosition), limit: opts.limit === undefined ? undefined : Number(opts.limit),
    };
    const page = await audit.events(filter);
    const out = (e: ReturnType<typeof eventJson>) => process.stdout.write(`${opts.json ? JSON.stringify(e) : formatEvent(e)}\n`);
    for (const e of page.events) out(e);
    if (!opts.follow) {
      if (page.next_from_position !== undefined) process.stderr.write(`# more: --from-position ${page.next_from_position}\n`);
      return;
    }
    // like tail -f: everything after what was printed, live, until Ctrl-C
    const match = eventMatcher({ ...filter, toPosition: undefined });
    const sub = store.subscribe(audit.index.headPosition);
    const stop = () => void sub.close();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    // the store polls for other processes' commits on an unref'd timer: hold the process open ourselves
    const keepAlive = setInterval(() => undefined, KEEP_ALIVE_MS);
    try {
      for await (const e of sub) if (match(e)) out(eventJson(e));
    } finally {
      clearInterval(keepAlive);
    }
  });
}

export function auditCommand(): Command {
  const audit = new Command('audit').description('answer what, who, when and why about the network from the event log alone');
  const sub = (name: string, description: string) => {
    const c = new Command(name).description(description).addOption(storeOption()).option('--json', 'JSON (the /v1/audit answer) instead of text')
      .option('--checkpoints <PATH>', "persisted checkpoints file, or 'none' (default: NAME.audit.db beside a sqlite: log)")
      .option('--stats', 'print on stderr how many events were replayed and from which persisted checkpoint')
      .showHelpAfterError().exitOverride((e) => process.exit(e.exitCode === EXIT_OK ? EXIT_OK : EXIT_BAD_CONFIG));
    audit.addCommand(c);
    return c;
  };
  sub('events', 'list events, filtered; --follow keeps printing new ones')
    .option('--resource-id <ID>').option('--stream <NAME>').option('--type <TYPES>', 'event type(s), comma separated')
    .option('--actor <USER_OR_PROJECT>').option('--request-id <ID>').option('--since <ISO8601>').option('--until <ISO8601>')
    .option('--from-position <N>', 'after this position').option('--to-position <N>', 'up to this position').option('--limit <N>')
    .option('-f, --follow', 'keep printing matching events as they are appended')
    .action((o: EventsOpts) => events(o));
  sub('state', 'every resource as it was at a position or time (Neutron JSON shapes)')
    .option('--at <POSITION_OR_TIME>', 'log position or ISO-8601 time (default: head)')
    .action((o: Common & { at?: string }) => withAudit(o, async (a) => print(o, await a.state(o.at), formatState)));
  sub('diff', 'what was created, changed (field by field) and deleted between two points, and by whom')
    .requiredOption('--from <POSITION_OR_TIME>').option('--to <POSITION_OR_TIME>', 'default: head')
    .action((o: Common & { from: string; to?: string }) => withAudit(o, async (a) => print(o, await a.diff(o.from, o.to), formatDiff)));
  sub('history', 'every change of one resource with actor, time, request id and fields')
    .argument('<resource-id>')
    .action((id: string, o: Common) => withAudit(o, async (a) => print(o, await a.history(id), formatHistory)));
  sub('flows', "a switch's desired flow table at a point, in ovs-ofctl syntax")
    .argument('<host>').option('--at <POSITION_OR_TIME>')
    .action((host: string, o: Common & { at?: string }) => withAudit(o, async (a) => print(o, await a.flows(host, o.at), formatFlows)));
  sub('explain', 'the resources and events that produced a flow (by cookie, or a dump-flows line)')
    .argument('<host>').option('--cookie <COOKIE>').option('--flow <LINE>').option('--at <POSITION_OR_TIME>')
    .action((host: string, o: Common & { cookie?: string; flow?: string; at?: string }) => withAudit(o, async (a) => {
      if ((o.cookie === undefined) === (o.flow === undefined)) throw new NeutronError('BadRequest', HTTP_BAD_REQUEST, 'give exactly one of --cookie or --flow');
      print(o, await a.explain(host, o.cookie !== undefined ? { cookie: o.cookie } : { flow: o.flow as string }, o.at), formatExplanation);
    }));
  sub('verify', "compare a live switch's flows with the desired table at the head; exit 3 on drift")
    .argument('<host>')
    .option('--switch <TARGET>', 'unix:PATH, tcp:HOST:PORT, or a bridge name (its .mgmt socket)', 'br-int')
    .action((host: string, o: Common & { switch: string }) => withAudit(o, async (a) => {
      const report = await a.verify(host, parseSwitchTarget(o.switch));
      print(o, report, formatVerify);
      return report.in_sync ? EXIT_OK : EXIT_DRIFT;
    }));
  return audit;
}
