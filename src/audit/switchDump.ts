// Dumps every flow of a live switch through our own OpenFlow connection (no ovs-ofctl): OVS's br-int.mgmt socket or a ptcp: target.
import { connectToSwitch, type SwitchTarget } from '../../openflow/transport/connect.ts';
import { OFPG_ANY, OFPP_ANY, OFPTT_ALL } from '../../openflow/constants/ports.ts';
import type { FlowStats } from '../../openflow/messages/types.ts';
import type { SwitchConnection } from '../../openflow/connection.ts';
import { badRequest, unavailable } from '../domain/errors.ts';

/** OVS's default run directory: every bridge listens on <rundir>/<bridge>.mgmt for local controllers. */
export const OVS_RUNDIR = '/var/run/openvswitch';
const DUMP_TIMEOUT_MS = 30_000;

/** `unix:PATH`, `tcp:HOST:PORT`, or a bare bridge name (its .mgmt socket in the OVS run directory). */
export function parseSwitchTarget(text: string): SwitchTarget {
  if (text.startsWith('unix:')) return { unix: text.slice('unix:'.length) };
  const tcp = /^tcp:(.+):(\d{1,5})$/.exec(text);
  if (tcp) return { tcp: { host: tcp[1], port: Number(tcp[2]) } };
  if (/^[A-Za-z0-9_.-]+$/.test(text)) return { unix: `${OVS_RUNDIR}/${text}.mgmt` };
  throw badRequest(`switch target must be unix:PATH, tcp:HOST:PORT or a bridge name, got '${text}'`);
}

/** All flows of every table, cookies unfiltered: a hand-added flow is drift too. */
export async function dumpSwitchFlows(target: SwitchTarget): Promise<FlowStats[]> {
  let sw;
  try {
    sw = await connectToSwitch(target, { requestTimeoutMs: DUMP_TIMEOUT_MS });
  } catch (error) {
    const where = 'unix' in target ? target.unix : `${target.tcp.host}:${target.tcp.port}`;
    throw unavailable('SwitchUnreachable', `cannot reach the switch at ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await dumpAllFlows(sw);
  } finally {
    await sw.close();
  }
}

/** Every flow of the switch, whoever's cookie it carries (verify must see hand-added flows too). */
export async function dumpAllFlows(sw: Pick<SwitchConnection, 'multipart'>): Promise<FlowStats[]> {
  const reply = await sw.multipart({ kind: 'flow', tableId: OFPTT_ALL, outPort: OFPP_ANY, outGroup: OFPG_ANY, cookie: 0n, cookieMask: 0n, match: [] });
  if (reply.kind !== 'flow') throw unavailable('SwitchUnreachable', `flow dump answered with ${reply.kind}`);
  return reply.flows;
}
