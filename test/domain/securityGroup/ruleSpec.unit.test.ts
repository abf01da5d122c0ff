// Security group rule checks and canonical form: Neutron's error types for each refusal.
import { describe, expect, it } from 'vitest';
import { NeutronError } from '../../../src/domain/errors.ts';
import { canonicalProtocol } from '../../../src/domain/securityGroup/protocols.ts';
import { checkRuleSpec, normalizePrefix } from '../../../src/domain/securityGroup/ruleSpec.ts';
import { findDuplicate, ruleKey } from '../../../src/domain/securityGroup/ruleKey.ts';
import { defaultRuleSpecs, newGroupRuleSpecs } from '../../../src/domain/securityGroup/defaultRules.ts';
import type { RuleSpec } from '../../../src/domain/securityGroup/state.ts';

const base: RuleSpec = {
  direction: 'ingress',
  ethertype: 'IPv4',
  protocol: null,
  portRangeMin: null,
  portRangeMax: null,
  remoteIpPrefix: null,
  remoteGroupId: null,
};

function refusal(fn: () => unknown): { type: string; status: number } {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(NeutronError);
    const err = e as NeutronError;
    return { type: err.type, status: err.status };
  }
  throw new Error('expected a refusal');
}

describe('canonicalProtocol', () => {
  it('accepts names in any case, numbers and numeric strings, and "any" as null', () => {
    expect(canonicalProtocol('TCP')).toBe('tcp');
    expect(canonicalProtocol(6)).toBe('6');
    expect(canonicalProtocol('017')).toBe('17');
    expect(canonicalProtocol('any')).toBeNull();
    expect(canonicalProtocol(null)).toBeNull();
  });
  it('refuses unknown names, out-of-range numbers and inherited object keys', () => {
    for (const bad of ['tcpp', 256, -1, 1.5, 'constructor', '__proto__', true, {}]) {
      expect(refusal(() => canonicalProtocol(bad))).toEqual({ type: 'SecurityGroupRuleInvalidProtocol', status: 400 });
    }
  });
});

describe('checkRuleSpec port ranges', () => {
  it('accepts a TCP single port and range', () => {
    expect(checkRuleSpec({ ...base, protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 }).portRangeMin).toBe(22);
    expect(checkRuleSpec({ ...base, protocol: '17', portRangeMin: 1000, portRangeMax: 2000 }).portRangeMax).toBe(2000);
  });
  it('turns the full TCP range into no range, as Neutron does', () => {
    const rule = checkRuleSpec({ ...base, protocol: 'tcp', portRangeMin: 1, portRangeMax: 65535 });
    expect([rule.portRangeMin, rule.portRangeMax]).toEqual([null, null]);
  });
  it('refuses min > max, a missing max, and port 0', () => {
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'tcp', portRangeMin: 80, portRangeMax: 79 })).type).toBe(
      'SecurityGroupInvalidPortRange',
    );
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'sctp', portRangeMin: 1, portRangeMax: null })).type).toBe(
      'SecurityGroupInvalidPortRange',
    );
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'tcp', portRangeMin: 0, portRangeMax: null })).type).toBe(
      'SecurityGroupInvalidPortValue',
    );
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'udp', portRangeMin: 1, portRangeMax: 70000 })).type).toBe(
      'SecurityGroupInvalidPortValue',
    );
  });
  it('refuses ports without a protocol', () => {
    expect(refusal(() => checkRuleSpec({ ...base, portRangeMin: 80, portRangeMax: 80 }))).toEqual({
      type: 'SecurityGroupProtocolRequiredWithPorts',
      status: 400,
    });
  });
  it('reads ICMP port fields as type and code', () => {
    expect(checkRuleSpec({ ...base, protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 }).portRangeMin).toBe(8);
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'icmp', portRangeMin: 256, portRangeMax: null })).type).toBe(
      'SecurityGroupInvalidIcmpValue',
    );
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'icmp', portRangeMin: null, portRangeMax: 0 })).type).toBe(
      'SecurityGroupMissingIcmpType',
    );
  });
  it('allows other protocols only a single "port"', () => {
    expect(refusal(() => checkRuleSpec({ ...base, protocol: '111', portRangeMin: 100, portRangeMax: 200 })).type).toBe(
      'SecurityGroupInvalidProtocolForPortRange',
    );
  });
});

describe('checkRuleSpec remotes and ethertypes', () => {
  it('refuses a remote group together with a remote prefix', () => {
    expect(refusal(() => checkRuleSpec({ ...base, remoteGroupId: 'g', remoteIpPrefix: '10.0.0.0/8' })).type).toBe(
      'SecurityGroupRemoteGroupAndRemoteIpPrefix',
    );
  });
  it('masks host bits and turns bare addresses into host prefixes', () => {
    expect(checkRuleSpec({ ...base, remoteIpPrefix: '10.1.2.3/16' }).remoteIpPrefix).toBe('10.1.0.0/16');
    expect(checkRuleSpec({ ...base, ethertype: 'IPv6', remoteIpPrefix: '2001:DB8::1' }).remoteIpPrefix).toBe('2001:db8::1/128');
    expect(normalizePrefix('10.0.0.0/33')).toBeUndefined();
    expect(refusal(() => checkRuleSpec({ ...base, remoteIpPrefix: 'nonsense' })).type).toBe('InvalidCIDR');
  });
  it('refuses a prefix of the other IP version', () => {
    expect(refusal(() => checkRuleSpec({ ...base, remoteIpPrefix: '::/0' })).type).toBe('SecurityGroupRuleParameterConflict');
  });
  it('refuses IPv6-only protocols on IPv4 rules and spells IPv6 ICMP canonically', () => {
    expect(refusal(() => checkRuleSpec({ ...base, protocol: 'ipv6-icmp' })).type).toBe('SecurityGroupEthertypeConflictWithProtocol');
    expect(checkRuleSpec({ ...base, ethertype: 'IPv6', protocol: 'icmp' }).protocol).toBe('ipv6-icmp');
  });
});

describe('ruleKey and duplicates', () => {
  it('treats a protocol name and its number, and 0.0.0.0/0 and no prefix, as the same rule', () => {
    expect(ruleKey({ ...base, protocol: 'tcp' })).toBe(ruleKey({ ...base, protocol: '6' }));
    expect(ruleKey({ ...base, remoteIpPrefix: '0.0.0.0/0' })).toBe(ruleKey(base));
    expect(ruleKey({ ...base, direction: 'egress' })).not.toBe(ruleKey(base));
  });
  it('finds the existing duplicate', () => {
    const existing = [{ ...base, id: 'r1', protocol: 'udp' }, { ...base, id: 'r2', protocol: 'tcp' }];
    expect(findDuplicate(existing, { ...base, protocol: '6' })?.id).toBe('r2');
    expect(findDuplicate(existing, { ...base, protocol: 'icmp' })).toBeUndefined();
  });
});

describe('default rules', () => {
  it('opens egress for both ethertypes and admits ingress only from the group itself', () => {
    const rules = defaultRuleSpecs('g1');
    expect(rules.filter((r) => r.direction === 'egress').map((r) => [r.ethertype, r.remoteGroupId])).toEqual([
      ['IPv4', null],
      ['IPv6', null],
    ]);
    expect(rules.filter((r) => r.direction === 'ingress').map((r) => [r.ethertype, r.remoteGroupId])).toEqual([
      ['IPv4', 'g1'],
      ['IPv6', 'g1'],
    ]);
    expect(new Set(rules.map(ruleKey)).size).toBe(rules.length);
    expect(newGroupRuleSpecs().every((r) => r.direction === 'egress')).toBe(true);
  });
});
