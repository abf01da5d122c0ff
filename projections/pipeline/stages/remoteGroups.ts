// Remote-group security rules as conjunctive matches: O(members) flows per host instead of O(ports x members).
//
// The host-wide half is split so one member more or less rebuilds its own address's flows only: the
// conj_id flows of the rules in force (units.ts 'a:<host>'), and per member address its clause 2 ('m:<host>|<address>').
//
// A rule "from (or to) members of group R" is two clauses: clause 1 is per port (the port in reg7 or
// in_port, ethertype, protocol, ports), clause 2 is per member address and shared by every port of
// the host; equal keys carry several conjunction actions. When both clauses match, the packet goes
// to the rule's conj_id flow, which commits in the zone held in reg7 (the port: set by the ingress
// hook, and by the egress lookup for this purpose) and passes the packet on. Conjunctions sit below
// the plain rules (PRIORITY_REMOTE_GROUP < PRIORITY_RULE): a plain rule that matches wins outright.
import type { SecurityGroupRuleInput } from '../../topology/inputs.ts';
import type { ResolvedRule } from '../../topology/securityGroups.ts';
import type { PortView } from '../../topology/view.ts';
import type { Action } from '../../../openflow/messages/types.ts';
import { addressMatch, ipMatch } from '../addresses.ts';
import { hostCookie, portCookie } from '../cookie.ts';
import { ETH_TYPE_IPV4, ETH_TYPE_IPV6, applyActions, flow, flowKey, gotoTable, m, type DesiredFlow } from '../flow.ts';
import { TABLE_EGRESS_RULES, TABLE_INGRESS_RULES, TABLE_L2_LOOKUP } from '../tables.ts';

export const PRIORITY_REMOTE_GROUP = 40;
/** ct_state bits (OVS CS_NEW | CS_TRK). */
const NEW_TRACKED = 0x01 | 0x20;
const REG_PORT = 'reg7' as const;
const REG_BITS = 32;
const ZONE_BITS = 16;
const NO_RECIRC = 255;
const CLAUSES = 2;
const ETHERTYPES = { IPv4: ETH_TYPE_IPV4, IPv6: ETH_TYPE_IPV6 } as const;
const FNV32_OFFSET = 0x811c9dc5;
const FNV32_PRIME = 0x01000193;

/** The conjunction id of a rule: FNV-1a (32 bit) of its id. */
export function conjunctionId(ruleId: string): number {
  let h = FNV32_OFFSET;
  for (const b of Buffer.from(ruleId, 'utf8')) h = Math.imul(h ^ b, FNV32_PRIME) >>> 0;
  return h;
}

const conj = (id: number, clause: number): Action => ({ type: 'conjunction', id, clause, nClauses: CLAUSES });

/** Adds a flow, or its conjunction actions to the flow already holding its key; actions end sorted and unique. */
function merge(into: Map<string, DesiredFlow>, f: DesiredFlow): void {
  const k = flowKey(f);
  const had = into.get(k);
  const actionsOf = (x: DesiredFlow): Action[] => (x.instructions[0]?.type === 'apply_actions' ? x.instructions[0].actions : []);
  if (!had) return void into.set(k, f);
  const all = [...actionsOf(had), ...actionsOf(f)];
  const ids = [...new Set(all.map((a) => (a.type === 'conjunction' ? `${a.id}/${a.clause}` : '')))].sort();
  const actions = ids.map((s) => { const [id, clause] = s.split('/').map(Number); return conj(id, clause); });
  into.set(k, { ...had, instructions: [applyActions(actions)] });
}

/** Clause 1 of each remote-group rule of a port; `l4` gives a rule's ethertype/protocol/port alternatives. */
export function buildRemoteGroupPortClauses(port: PortView, ofport: number, rules: readonly ResolvedRule[],
  l4: (rule: SecurityGroupRuleInput) => DesiredFlow['match'][]): DesiredFlow[] {
  const c = portCookie('security_group', port.id);
  const byKey = new Map<string, DesiredFlow>();
  for (const r of rules) {
    if (r.remoteAddresses === undefined) continue;
    const egress = r.rule.direction === 'egress';
    for (const match of l4(r.rule)) {
      merge(byKey, flow(egress ? TABLE_EGRESS_RULES : TABLE_INGRESS_RULES, PRIORITY_REMOTE_GROUP,
        [m('ct_state', NEW_TRACKED, NEW_TRACKED), egress ? m('in_port', ofport) : m(REG_PORT, ofport), ...match],
        [applyActions([conj(conjunctionId(r.rule.id), 0)])], c));
    }
  }
  return [...byKey.values()];
}

/** The host-wide half, conjunction side: one conj_id flow per remote-group rule in force on the host. */
export function buildConjunctionFlows(host: string, rules: readonly SecurityGroupRuleInput[]): DesiredFlow[] {
  const c = hostCookie('security_group', host);
  const commit: Action = { type: 'ct', commit: true, force: false, zone: { src: { field: REG_PORT, ofs: 0, nBits: ZONE_BITS } }, recircTable: NO_RECIRC, alg: 0, actions: [] };
  const outPort: Action = { type: 'output_reg', src: { field: REG_PORT, ofs: 0, nBits: REG_BITS }, maxLen: 0 };
  return rules.map((rule) => {
    const egress = rule.direction === 'egress';
    return flow(egress ? TABLE_EGRESS_RULES : TABLE_INGRESS_RULES, PRIORITY_REMOTE_GROUP, [m('conj_id', conjunctionId(rule.id)), m('eth_type', ETHERTYPES[rule.ethertype])],
      egress ? [applyActions([commit]), gotoTable(TABLE_L2_LOOKUP)] : [applyActions([commit, outPort])], c);
  });
}

/**
 * The host-wide half, address side: clause 2 for one member address (canonical text), shared by every
 * rule given (those in force on the host whose remote group holds the address); one flow per direction
 * and address family, its conjunction actions sorted.
 */
export function buildAddressFlows(host: string, address: string, rules: readonly SecurityGroupRuleInput[]): DesiredFlow[] {
  const a = ipMatch(address);
  if (!a) return [];
  const c = hostCookie('security_group', host);
  const byKey = new Map<string, DesiredFlow>();
  for (const rule of rules) {
    const v6 = rule.ethertype === 'IPv6';
    if (a.version !== (v6 ? 6 : 4)) continue;
    const egress = rule.direction === 'egress';
    const field = egress ? (v6 ? 'ipv6_dst' : 'ipv4_dst') : (v6 ? 'ipv6_src' : 'ipv4_src');
    merge(byKey, flow(egress ? TABLE_EGRESS_RULES : TABLE_INGRESS_RULES, PRIORITY_REMOTE_GROUP, [m('ct_state', NEW_TRACKED, NEW_TRACKED),
      m('eth_type', ETHERTYPES[rule.ethertype]), ...addressMatch(field, a)], [applyActions([conj(conjunctionId(rule.id), 1)])], c));
  }
  return [...byKey.values()];
}
