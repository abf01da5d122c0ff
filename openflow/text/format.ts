// Prints flow_mods in ovs-ofctl's flow syntax, as `ovs-ofctl -O OpenFlow13 dump-flows` shows them.
import type { FlowMod, FlowSpec } from '../messages/types.ts';

export function formatFlowMod(fm: FlowMod | FlowSpec): string {
  return `cookie=0x${fm.cookie.toString(16)}, table=${fm.tableId}, priority=${fm.priority} (formatter not implemented yet)`;
}
