// Rule identity for duplicate detection: two rules of a group that admit the same packets are one rule.
import { protocolNumber } from './protocols.ts';
import type { RuleSpec } from './state.ts';

/** "Any address" spelled as a prefix is the same as no prefix (Neutron compares them equal). */
const ANY_ADDRESS_PREFIXES: ReadonlySet<string> = new Set(['0.0.0.0/0', '::/0']);

/**
 * A string equal for rules Neutron would call duplicates: protocol compared by number, the
 * all-addresses prefix equal to none. Specs must be canonical (see checkRuleSpec).
 */
export function ruleKey(spec: RuleSpec): string {
  const prefix = spec.remoteIpPrefix === null || ANY_ADDRESS_PREFIXES.has(spec.remoteIpPrefix) ? null : spec.remoteIpPrefix;
  return JSON.stringify([
    spec.direction,
    spec.ethertype,
    protocolNumber(spec.protocol),
    spec.portRangeMin,
    spec.portRangeMax,
    prefix,
    spec.remoteGroupId,
  ]);
}

/** The first existing rule that duplicates the candidate, if any. */
export function findDuplicate<R extends RuleSpec & { id: string }>(existing: Iterable<R>, candidate: RuleSpec): R | undefined {
  const key = ruleKey(candidate);
  for (const rule of existing) if (ruleKey(rule) === key) return rule;
  return undefined;
}
