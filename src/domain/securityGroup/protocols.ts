// IP protocol names a security group rule accepts, their IANA numbers, and the canonical stored spelling.
import { NeutronError, HTTP_BAD_REQUEST } from '../errors.ts';

/** IANA protocol numbers for the names Neutron accepts (neutron-lib IP_PROTOCOL_MAP). */
export const IP_PROTOCOL_NUMBERS: Readonly<Record<string, number>> = {
  ah: 51,
  dccp: 33,
  egp: 8,
  esp: 50,
  gre: 47,
  hopopt: 0,
  icmp: 1,
  igmp: 2,
  ipip: 4,
  'ipv6-encap': 41,
  'ipv6-frag': 44,
  'ipv6-icmp': 58,
  // legacy spelling Neutron still accepts for ipv6-icmp
  icmpv6: 58,
  'ipv6-nonxt': 59,
  'ipv6-opts': 60,
  'ipv6-route': 43,
  ospf: 89,
  pgm: 113,
  rsvp: 46,
  sctp: 132,
  tcp: 6,
  udp: 17,
  udplite: 136,
  vrrp: 112,
};

export const PROTO_ICMP = 1;
export const PROTO_IPV6_ICMP = 58;
/** Protocols whose rules carry a destination port range (TCP, UDP, UDP-Lite, SCTP, DCCP). */
export const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 136, 132, 33]);
/** Protocols that only make sense for IPv6 packets: a rule with ethertype IPv4 cannot use them. */
const IPV6_ONLY_PROTOCOLS: ReadonlySet<number> = new Set([41, 43, 44, 58, 59, 60]);
const MAX_PROTOCOL_NUMBER = 255;
/** "any" means every protocol, stored as null like Neutron does. */
const ANY = 'any';

function invalidProtocol(value: unknown): NeutronError {
  const names = Object.keys(IP_PROTOCOL_NUMBERS).join(', ');
  return new NeutronError(
    'SecurityGroupRuleInvalidProtocol',
    HTTP_BAD_REQUEST,
    `Security group rule protocol ${String(value)} not supported. Only protocol values [None, ${names}] ` +
      `and integer representations [0 to ${MAX_PROTOCOL_NUMBER}] are supported.`,
  );
}

/**
 * The protocol as the API stores and shows it: a lower-case name, a decimal number string, or null
 * for "every protocol". Throws SecurityGroupRuleInvalidProtocol (400) for anything else.
 */
export function canonicalProtocol(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > MAX_PROTOCOL_NUMBER) throw invalidProtocol(value);
    return String(value);
  }
  if (typeof value !== 'string') throw invalidProtocol(value);
  if (/^\d{1,3}$/.test(value)) return canonicalProtocol(Number(value));
  const name = value.toLowerCase();
  if (name === ANY) return null;
  if (!Object.hasOwn(IP_PROTOCOL_NUMBERS, name)) throw invalidProtocol(value);
  return name;
}

/** IANA number of a canonical protocol, or null for "every protocol". */
export function protocolNumber(protocol: string | null): number | null {
  if (protocol === null) return null;
  return Object.hasOwn(IP_PROTOCOL_NUMBERS, protocol) ? IP_PROTOCOL_NUMBERS[protocol] : Number(protocol);
}

export function isIpv6OnlyProtocol(protocol: string | null): boolean {
  const n = protocolNumber(protocol);
  return n !== null && IPV6_ONLY_PROTOCOLS.has(n);
}
