// esdn's configuration: flags and environment variables, validated once with zod into one typed record.
import { z } from 'zod';

/** Largest VXLAN network identifier: the VNI field is 24 bits wide (RFC 7348 section 5). */
export const MAX_VNI = 0xff_ff_ff;
const MAX_TCP_PORT = 65_535;
/** Extra OpenFlow connections per switch beyond this gain nothing measurable (BENCHMARKS.md, OpenFlow lanes). */
export const MAX_OPENFLOW_LANES = 16;
/**
 * Default lanes: 7, i.e. 8 connections per switch. On a quiet machine a tap-first bring-up took 1.00 s
 * (1000 ports) and 8.7 s (5000) with 7 lanes against 1.14 s and 14.1 s with 3 (BENCHMARKS.md,
 * "Southbound", end of session 4): at 5000 taps each ovs-vswitchd turn is slow, so more messages per turn pay.
 */
export const DEFAULT_OPENFLOW_LANES = 7;
/** One day: a longer failover time is a typo, not a choice. */
const MAX_GATEWAY_FAILOVER_SECONDS = 86_400;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Every setting: its command-line flag, its environment variable and its default. */
export const SETTINGS = {
  apiListen: { flag: '--api-listen', env: 'ESDN_API_LISTEN', default: '127.0.0.1:9696', arg: 'HOST:PORT',
    help: 'address of the Neutron v2.0 HTTP API' },
  openflowListen: { flag: '--openflow-listen', env: 'ESDN_OPENFLOW_LISTEN', default: '0.0.0.0:6653', arg: 'HOST:PORT',
    help: 'address the OpenFlow 1.3 controller listens on for switches' },
  openflowLanes: { flag: '--openflow-lanes', env: 'ESDN_OPENFLOW_LANES', default: String(DEFAULT_OPENFLOW_LANES), arg: 'N',
    help: 'extra OpenFlow connections per switch for big diffs, on the N ports after the OpenFlow port (0: none; esdn host-setup --lanes)' },
  store: { flag: '--store', env: 'ESDN_STORE', default: 'sqlite:./data/events.db', arg: 'URL',
    help: 'event log: sqlite:PATH (embedded, created on first start) or kurrentdb://HOST:PORT?tls=false' },
  auth: { flag: '--auth', env: 'ESDN_AUTH', default: 'noauth', arg: 'MODE',
    help: 'noauth (every request is admin) or tokens:FILE (X-Auth-Token checked against FILE)' },
  vniRange: { flag: '--vni-range', env: 'ESDN_VNI_RANGE', default: `1:${MAX_VNI}`, arg: 'MIN:MAX',
    help: 'VXLAN network identifiers esdn may allocate to networks' },
  logLevel: { flag: '--log-level', env: 'ESDN_LOG_LEVEL', default: 'info', arg: 'LEVEL',
    help: `log level: ${LOG_LEVELS.join(', ')}` },
  gatewayFailoverAfter: { flag: '--gateway-failover-after', env: 'ESDN_GATEWAY_FAILOVER_AFTER', default: '30', arg: 'SECONDS',
    help: 'move router gateways (SNAT) off a host whose switch stays disconnected this long' },
} as const;

export type SettingName = keyof typeof SETTINGS;
/** Raw strings as given on the command line or in the environment, before validation. */
export type RawSettings = Partial<Record<SettingName, string>>;

export interface ListenAddress {
  /** Host name or address; IPv6 without brackets. */
  host: string;
  /** 0 asks the kernel for a free port (tests use it; the bound port is logged). */
  port: number;
}

export type StoreConfig =
  | { kind: 'sqlite'; path: string; url: string }
  | { kind: 'kurrentdb'; url: string };

export type AuthConfig = { kind: 'noauth' } | { kind: 'tokens'; file: string };

export interface Config {
  apiListen: ListenAddress;
  openflowListen: ListenAddress;
  /** lane listeners: same host as openflowListen, its port + 1 .. + N (every one 0 when that is 0) */
  openflowLanes: ListenAddress[];
  store: StoreConfig;
  auth: AuthConfig;
  vniRange: { min: number; max: number };
  logLevel: LogLevel;
  /** how long a gateway host's switch may stay disconnected before its gateways move, in milliseconds */
  gatewayFailoverAfterMs: number;
}

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV6_IN_BRACKETS = /^\[([0-9A-Fa-f:.]+)\]$/;

const listenAddress = z.string().transform((raw, ctx): ListenAddress => {
  const cut = raw.lastIndexOf(':');
  const hostPart = cut < 0 ? '' : raw.slice(0, cut);
  const portPart = cut < 0 ? '' : raw.slice(cut + 1);
  const v6 = IPV6_IN_BRACKETS.exec(hostPart);
  const host = v6 ? v6[1] : hostPart;
  const hostOk = v6 ? z.ipv6().safeParse(host).success : HOSTNAME.test(host) || z.ipv4().safeParse(host).success;
  const port = /^\d{1,5}$/.test(portPart) ? Number(portPart) : NaN;
  if (!hostOk || !(port >= 0 && port <= MAX_TCP_PORT)) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not HOST:PORT (IPv6 as [ADDR]:PORT, port 0-${MAX_TCP_PORT})` });
    return z.NEVER;
  }
  return { host, port };
});

/** The schemes the event log's openEventStore(url) understands for KurrentDB (esdb:// is EventStoreDB's name). */
const KURRENT_SCHEMES = /^(kurrentdb|kurrent|esdb)(\+discover)?:\/\//;

const store = z.string().transform((raw, ctx): StoreConfig => {
  if (raw.startsWith('sqlite:')) {
    // sqlite:PATH, also written sqlite://PATH or sqlite:///ABSOLUTE/PATH.
    let path = raw.slice('sqlite:'.length);
    if (path.startsWith('//')) path = path.slice(2);
    if (path.length > 0) return { kind: 'sqlite', path, url: raw };
    ctx.addIssue({ code: 'custom', message: 'sqlite: needs a file path, e.g. sqlite:./data/events.db' });
    return z.NEVER;
  }
  if (KURRENT_SCHEMES.test(raw)) {
    // Multi-node strings (a:2113,b:2113) are not WHATWG URLs: check the host list by hand.
    const hosts = raw.replace(KURRENT_SCHEMES, '').replace(/^[^@/?#]*@/, '').split(/[/?#]/)[0];
    if (hosts.split(',').every((h) => /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?$/.test(h))) return { kind: 'kurrentdb', url: raw };
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a kurrentdb:// connection string with a host` });
    return z.NEVER;
  }
  ctx.addIssue({ code: 'custom', message: `unknown store "${raw}": use sqlite:PATH or kurrentdb://HOST:PORT?tls=false` });
  return z.NEVER;
});

const auth = z.string().transform((raw, ctx): AuthConfig => {
  if (raw === 'noauth') return { kind: 'noauth' };
  if (raw.startsWith('tokens:') && raw.length > 'tokens:'.length) return { kind: 'tokens', file: raw.slice('tokens:'.length) };
  ctx.addIssue({ code: 'custom', message: `unknown auth mode "${raw}": use noauth or tokens:FILE` });
  return z.NEVER;
});

const vniRange = z.string().transform((raw, ctx) => {
  const m = /^(\d{1,8}):(\d{1,8})$/.exec(raw);
  const min = m ? Number(m[1]) : NaN;
  const max = m ? Number(m[2]) : NaN;
  if (!(min >= 1 && max <= MAX_VNI && min <= max)) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not MIN:MAX with 1 <= MIN <= MAX <= ${MAX_VNI}` });
    return z.NEVER;
  }
  return { min, max };
});

const logLevel = z.string().transform((raw, ctx): LogLevel => {
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (level) return level;
  ctx.addIssue({ code: 'custom', message: `"${raw}" is not one of ${LOG_LEVELS.join(', ')}` });
  return z.NEVER;
});

const gatewayFailoverAfter = z.string().transform((raw, ctx) => {
  const seconds = /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
  if (!(seconds > 0 && seconds <= MAX_GATEWAY_FAILOVER_SECONDS)) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a number of seconds above 0 and at most ${MAX_GATEWAY_FAILOVER_SECONDS}` });
    return z.NEVER;
  }
  return Math.round(seconds * 1000);
});

const openflowLanes = z.string().transform((raw, ctx) => {
  const n = /^\d{1,2}$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= 0 && n <= MAX_OPENFLOW_LANES)) {
    ctx.addIssue({ code: 'custom', message: `"${raw}" is not a whole number from 0 to ${MAX_OPENFLOW_LANES}` });
    return z.NEVER;
  }
  return n;
});

const configSchema = z.object({ apiListen: listenAddress, openflowListen: listenAddress, openflowLanes, store, auth, vniRange, logLevel, gatewayFailoverAfter })
  .superRefine(({ openflowListen: of, openflowLanes: n }, ctx) => {
    if (of.port + n > MAX_TCP_PORT) ctx.addIssue({ code: 'custom', path: ['openflowLanes'], message: `${n} lanes after port ${of.port} go past port ${MAX_TCP_PORT}` });
  })
  .transform(({ gatewayFailoverAfter: ms, openflowLanes: n, ...rest }) => ({
    ...rest,
    gatewayFailoverAfterMs: ms,
    openflowLanes: Array.from({ length: n }, (_, i) => ({ host: rest.openflowListen.host, port: rest.openflowListen.port === 0 ? 0 : rest.openflowListen.port + 1 + i })),
  }));

/** Bad configuration: every problem, each naming its flag and environment variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { setting: SettingName; message: string }[]) {
    super(problems.map((p) => `${SETTINGS[p.setting].flag} (${SETTINGS[p.setting].env}): ${p.message}`).join('\n'));
  }
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; error: ConfigError };

/** Resolves each setting (flag, then environment variable, then default) and validates them all at once. */
export function loadConfig(flags: RawSettings, env: Record<string, string | undefined>): ConfigResult {
  const raw = {} as Record<SettingName, string>;
  for (const name of Object.keys(SETTINGS) as SettingName[]) {
    const fromEnv = env[SETTINGS[name].env];
    raw[name] = flags[name] ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : SETTINGS[name].default);
  }
  const parsed = configSchema.safeParse(raw);
  if (parsed.success) return { ok: true, config: parsed.data };
  const problems = parsed.error.issues.map((issue) => ({ setting: issue.path[0] as SettingName, message: issue.message }));
  return { ok: false, error: new ConfigError(problems) };
}

/** "HOST:PORT" for logs and URLs, with IPv6 hosts in brackets. */
export function formatListen(address: ListenAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
