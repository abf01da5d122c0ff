// Prints flow_mods in ovs-ofctl's flow syntax, as `ovs-ofctl -O OpenFlow13 dump-flows` shows them (without counters).
import { OFPFF_CHECK_OVERLAP, OFPFF_NO_BYT_COUNTS, OFPFF_NO_PKT_COUNTS, OFPFF_RESET_COUNTS, OFPFF_SEND_FLOW_REM } from '../constants/messages.ts';
import type { FlowMod, FlowSpec, FlowStats } from '../messages/types.ts';
import { formatInstructions } from './actionText.ts';
import { formatMatch } from './matchText.ts';

const FLAG_WORDS: [number, string][] = [
  [OFPFF_SEND_FLOW_REM, 'send_flow_rem'],
  [OFPFF_CHECK_OVERLAP, 'check_overlap'],
  [OFPFF_RESET_COUNTS, 'reset_counts'],
  [OFPFF_NO_PKT_COUNTS, 'no_packet_counts'],
  [OFPFF_NO_BYT_COUNTS, 'no_byte_counts'],
];

const NS_PER_MS = 1_000_000;

/** The part after the counters: timeouts, flag words, match and actions (OVS ofp_print_flow_stats). */
function tail(f: FlowSpec & { flags?: number }): string {
  let s = '';
  if (f.idleTimeout !== 0) s += `idle_timeout=${f.idleTimeout}, `;
  if (f.hardTimeout !== 0) s += `hard_timeout=${f.hardTimeout}, `;
  if (f.flags !== undefined) for (const [bit, word] of FLAG_WORDS) if (f.flags & bit) s += `${word} `;
  s += formatMatch(f.match, f.priority);
  if (s !== '' && !s.endsWith(' ')) s += ' ';
  return `${s}actions=${formatInstructions(f.instructions)}`;
}

/**
 * `cookie=0x5, table=10, priority=100,arp,in_port=1,arp_tpa=10.0.0.21,arp_op=1 actions=...`: a dump-flows line
 * minus duration and counters (idle/hard timeouts and flags print only when set).
 */
export function formatFlowMod(fm: FlowMod | FlowSpec): string {
  return `cookie=0x${fm.cookie.toString(16)}, table=${fm.tableId}, ${tail(fm)}`;
}

/** Exactly the line `ovs-ofctl -O OpenFlow13 dump-flows` prints for one flow stats entry (without its leading space). */
export function formatFlowStats(fs: FlowStats): string {
  const duration = fs.durationNsec === 0 ? `${fs.durationSec}s` : `${fs.durationSec}.${String(Math.floor(fs.durationNsec / NS_PER_MS)).padStart(3, '0')}s`;
  return `cookie=0x${fs.cookie.toString(16)}, duration=${duration}, table=${fs.tableId}, n_packets=${fs.packetCount}, n_bytes=${fs.byteCount}, ${tail(fs)}`;
}
