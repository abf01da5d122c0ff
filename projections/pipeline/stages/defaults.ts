// Stage "defaults": the miss flow of every pipeline table (to its next table, or drop), and host-wide exceptions.
import { pipelineCookie, hostCookie } from '../cookie.ts';
import { ARP_OP_REQUEST, ETH_TYPE_ARP, flow, gotoOnly, m, type DesiredFlow } from '../flow.ts';
import { PIPELINE, TABLE_ARP_RESPONDER } from '../tables.ts';

/** Priority of table-miss flows. */
export const PRIORITY_MISS = 0;
/** Above every ARP responder flow: ARP probes are never answered by the switch. */
export const PRIORITY_ARP_PROBE = 110;

/** The miss flow of each table: an explicit drop (with counters) or a goto to the next table. */
export function buildDefaultFlows(host: string): DesiredFlow[] {
  const flows = PIPELINE.map((t) =>
    flow(t.id, PRIORITY_MISS, [], t.next === null ? [] : gotoOnly(t.next), pipelineCookie(t.id)));
  // An ARP probe (sender IP 0.0.0.0, RFC 5227) asks "is anyone using this address?": answering it from
  // the switch would make the VM that owns the address think it is taken. Let it flood to the owner.
  const arpNext = PIPELINE.find((t) => t.id === TABLE_ARP_RESPONDER)?.next;
  if (arpNext !== null && arpNext !== undefined) {
    flows.push(flow(TABLE_ARP_RESPONDER, PRIORITY_ARP_PROBE,
      [m('eth_type', ETH_TYPE_ARP), m('arp_op', ARP_OP_REQUEST), m('arp_spa', '0.0.0.0')],
      gotoOnly(arpNext), hostCookie('arp_responder', host)));
  }
  return flows;
}
