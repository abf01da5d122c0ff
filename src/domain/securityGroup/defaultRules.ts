// The rules Neutron gives every project's default group: all egress, ingress only from the group's members.
import type { Direction, Ethertype, RuleSpec } from './state.ts';

/** Order matters only for stable ids: the caller injects one rule id per entry. */
const DEFAULT_RULE_SHAPES: readonly { direction: Direction; ethertype: Ethertype; fromSelf: boolean }[] = [
  { direction: 'egress', ethertype: 'IPv4', fromSelf: false },
  { direction: 'egress', ethertype: 'IPv6', fromSelf: false },
  { direction: 'ingress', ethertype: 'IPv4', fromSelf: true },
  { direction: 'ingress', ethertype: 'IPv6', fromSelf: true },
];

export const DEFAULT_RULE_COUNT = DEFAULT_RULE_SHAPES.length;

/** A rule for every protocol and port, from anywhere or only from `remoteGroupId`'s members. */
const openRule = ({ direction, ethertype }: { direction: Direction; ethertype: Ethertype }, remoteGroupId: string | null): RuleSpec => ({
  direction,
  ethertype,
  protocol: null,
  portRangeMin: null,
  portRangeMax: null,
  remoteIpPrefix: null,
  remoteGroupId,
});

/** The default group's rule specs; ingress rules name the group itself as the remote group. */
export function defaultRuleSpecs(groupId: string): RuleSpec[] {
  return DEFAULT_RULE_SHAPES.map((shape) => openRule(shape, shape.fromSelf ? groupId : null));
}

/** Egress-only rules Neutron adds to every group a user creates (so new groups can talk out). */
export function newGroupRuleSpecs(): RuleSpec[] {
  return DEFAULT_RULE_SHAPES.filter((s) => s.direction === 'egress').map((shape) => openRule(shape, null));
}
