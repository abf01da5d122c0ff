// Checks a requested security group rule the way Neutron does and brings it to its canonical form.
import { NeutronError, HTTP_BAD_REQUEST } from '../errors.ts';
import { ADDRESS_BITS, formatCidr, parseIp } from '../ip/address.ts';
import type { IpVersion } from '../ip/address.ts';
import { PORT_PROTOCOLS, PROTO_ICMP, PROTO_IPV6_ICMP, isIpv6OnlyProtocol, protocolNumber } from './protocols.ts';
import type { Ethertype, RuleSpec } from './state.ts';

const MIN_PORT = 1;
const MAX_PORT = 65535;
/** ICMP type and code are one octet each. */
const MAX_ICMP_VALUE = 255;
const ETHERTYPE_VERSION: Record<Ethertype, IpVersion> = { IPv4: 4, IPv6: 6 };

const invalid = (type: string, message: string) => new NeutronError(type, HTTP_BAD_REQUEST, message);

/**
 * "10.0.0.7/24" -> "10.0.0.0/24" and a bare address -> a host prefix, as Neutron's converter does;
 * undefined when the text is no address or prefix.
 */
export function normalizePrefix(text: string): { cidr: string; version: IpVersion } | undefined {
  const slash = text.indexOf('/');
  const ip = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (ip === undefined) return undefined;
  const bits = ADDRESS_BITS[ip.version];
  const lengthText = slash < 0 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText) || Number(lengthText) > bits) return undefined;
  const prefixLength = Number(lengthText);
  const hostMask = (1n << BigInt(bits - prefixLength)) - 1n;
  return { cidr: formatCidr({ version: ip.version, network: ip.value & ~hostMask, prefixLength }), version: ip.version };
}

function checkPortProtocolRange(min: number | null, max: number | null): void {
  if (min === 0 || max === 0) throw invalid('SecurityGroupInvalidPortValue', 'Invalid value for port 0');
  if (min === null || max === null || min > max) {
    throw invalid('SecurityGroupInvalidPortRange', 'For TCP/UDP protocols, port_range_min must be <= port_range_max');
  }
  for (const port of [min, max]) {
    if (port < MIN_PORT || port > MAX_PORT) throw invalid('SecurityGroupInvalidPortValue', `Invalid value for port ${port}`);
  }
}

function checkIcmpTypeCode(min: number | null, max: number | null): void {
  for (const [value, attr, field] of [[min, 'port_range_min', 'type'], [max, 'port_range_max', 'code']] as const) {
    if (value !== null && (value < 0 || value > MAX_ICMP_VALUE)) {
      throw invalid(
        'SecurityGroupInvalidIcmpValue',
        `Invalid value for ICMP ${field} (${attr}) ${value}. It must be 0 to ${MAX_ICMP_VALUE}.`,
      );
    }
  }
  if (min === null && max !== null) {
    throw invalid('SecurityGroupMissingIcmpType', `ICMP code (port-range-max) ${max} is provided but ICMP type (port-range-min) is missing.`);
  }
}

/** Neutron's _validate_port_range: what port_range_min/max mean depends on the protocol. */
function checkPortRange(spec: RuleSpec): void {
  const { portRangeMin: min, portRangeMax: max } = spec;
  if (min === null && max === null) return;
  for (const port of [min, max]) {
    if (port !== null && (!Number.isInteger(port) || port < 0 || port > MAX_PORT)) {
      throw invalid('SecurityGroupInvalidPortValue', `Invalid value for port ${port}`);
    }
  }
  const proto = protocolNumber(spec.protocol);
  if (proto === null) throw invalid('SecurityGroupProtocolRequiredWithPorts', 'Must also specify protocol if port range is given.');
  if (PORT_PROTOCOLS.has(proto)) return checkPortProtocolRange(min, max);
  if (proto === PROTO_ICMP || proto === PROTO_IPV6_ICMP) return checkIcmpTypeCode(min, max);
  if (min !== max) {
    throw invalid('SecurityGroupInvalidProtocolForPortRange', `Invalid protocol ${spec.protocol} for port range, only supported for TCP, UDP, UDPLITE, SCTP and DCCP.`);
  }
}

/** IPv6 rules say "ipv6-icmp" however ICMP was spelled; a full TCP/UDP range is the same as no range. */
function canonicalize(spec: RuleSpec): RuleSpec {
  let { protocol, portRangeMin, portRangeMax } = spec;
  if (spec.ethertype === 'IPv6' && (protocol === 'icmp' || protocol === 'icmpv6' || protocol === String(PROTO_ICMP))) {
    protocol = 'ipv6-icmp';
  }
  const proto = protocolNumber(protocol);
  if (proto !== null && PORT_PROTOCOLS.has(proto) && portRangeMin === MIN_PORT && portRangeMax === MAX_PORT) {
    portRangeMin = null;
    portRangeMax = null;
  }
  return { ...spec, protocol, portRangeMin, portRangeMax };
}

/**
 * The canonical rule, or a 400 with Neutron's error type: port range against protocol, remote
 * prefix against ethertype, protocol against ethertype, and remote group and prefix not both.
 * The protocol must already be canonical (see canonicalProtocol).
 */
export function checkRuleSpec(spec: RuleSpec): RuleSpec {
  checkPortRange(spec);
  if (spec.remoteIpPrefix !== null && spec.remoteGroupId !== null) {
    throw invalid('SecurityGroupRemoteGroupAndRemoteIpPrefix', 'Only remote_ip_prefix or remote_group_id may be provided.');
  }
  let remoteIpPrefix = spec.remoteIpPrefix;
  if (remoteIpPrefix !== null) {
    const prefix = normalizePrefix(remoteIpPrefix);
    if (prefix === undefined) throw invalid('InvalidCIDR', `Invalid CIDR ${remoteIpPrefix} given as IP prefix.`);
    if (prefix.version !== ETHERTYPE_VERSION[spec.ethertype]) {
      throw invalid('SecurityGroupRuleParameterConflict', `Conflicting value ethertype ${spec.ethertype} for CIDR ${remoteIpPrefix}`);
    }
    remoteIpPrefix = prefix.cidr;
  }
  if (spec.ethertype === 'IPv4' && isIpv6OnlyProtocol(spec.protocol)) {
    throw invalid('SecurityGroupEthertypeConflictWithProtocol', `Invalid ethertype ${spec.ethertype} for protocol ${spec.protocol}.`);
  }
  return canonicalize({ ...spec, remoteIpPrefix });
}
