// Flow cookies: esdn's marker bits plus provenance, so every installed flow maps back to the resource (and its stream) that made it.
//
// Bit layout of the 64-bit cookie (most significant first):
//
//   63          48 47    44 43    40 39                                    0
//   +-------------+--------+--------+---------------------------------------+
//   | marker e5d0 | stage  | kind   | resource id (40 bits)                 |
//   +-------------+--------+--------+---------------------------------------+
//
// - marker: 0xe5d0 in every flow esdn owns; the reconciler touches only flows with
//   (cookie & COOKIE_MARKER_MASK) == COOKIE_MARKER (OpenFlow cookie_mask makes this a switch-side filter).
// - stage: which pipeline stage built the flow (CookieStage).
// - kind: what the id names: a port, a network, a host, or the pipeline itself (default flows).
// - id: port -> its uuid's first 10 hex digits (readable in dump-flows next to the tap name);
//   network -> its VNI; host -> FNV-1a of its name folded to 40 bits; pipeline -> the table id.
//   Ids that are not hex fall back to the FNV-1a fold. explainCookie() resolves ids against a view.
import { TABLE_CLASSIFY } from './tables.ts';
import type { TopologyView } from '../topology/view.ts';
import { externalOf } from '../topology/external.ts';

export const COOKIE_MARKER = 0xe5d0n << 48n;
export const COOKIE_MARKER_MASK = 0xffffn << 48n;
const STAGE_SHIFT = 44n;
const KIND_SHIFT = 40n;
const NIBBLE = 0xfn;
const ID_BITS = 40n;
const ID_MASK = (1n << ID_BITS) - 1n;
/** Hex digits that fit in the id field. */
const ID_HEX_DIGITS = Number(ID_BITS / 4n);

export const COOKIE_STAGES = ['default', 'classify', 'port_security', 'arp_responder', 'l2_lookup', 'local_delivery', 'flood', 'security_group', 'dhcp', 'routing', 'external', 'floating_ip', 'snat'] as const;
export type CookieStage = (typeof COOKIE_STAGES)[number];
/** provider: a flat/VLAN network (id bits of its uuid); neighbor: one ExternalNeighborObserved entry (FNV of network and address). */
export const COOKIE_KINDS = ['pipeline', 'port', 'network', 'host', 'router', 'provider', 'floating_ip', 'neighbor'] as const;
export type CookieKind = (typeof COOKIE_KINDS)[number];

const FNV64_OFFSET = 0xcbf29ce484222325n;
const FNV64_PRIME = 0x100000001b3n;
const U64 = (1n << 64n) - 1n;

/** FNV-1a (64-bit) of a string, folded to the 40-bit id field. */
function fnv40(s: string): bigint {
  let h = FNV64_OFFSET;
  for (const byte of Buffer.from(s, 'utf8')) h = ((h ^ BigInt(byte)) * FNV64_PRIME) & U64;
  return (h ^ (h >> ID_BITS)) & ID_MASK;
}

/** The 40-bit id of a resource name or uuid. */
export function resourceIdBits(id: string): bigint {
  const hex = id.replace(/-/g, '').slice(0, ID_HEX_DIGITS);
  return /^[0-9a-f]{10}$/i.test(hex) ? BigInt(`0x${hex}`) : fnv40(id);
}

export function makeCookie(stage: CookieStage, kind: CookieKind, idBits: bigint): bigint {
  const s = BigInt(COOKIE_STAGES.indexOf(stage));
  const k = BigInt(COOKIE_KINDS.indexOf(kind));
  return COOKIE_MARKER | (s << STAGE_SHIFT) | (k << KIND_SHIFT) | (idBits & ID_MASK);
}

export const portCookie = (stage: CookieStage, portId: string): bigint => makeCookie(stage, 'port', resourceIdBits(portId));
export const networkCookie = (stage: CookieStage, vni: number): bigint => makeCookie(stage, 'network', BigInt(vni));
export const hostCookie = (stage: CookieStage, host: string): bigint => makeCookie(stage, 'host', resourceIdBits(host));
export const routerCookie = (stage: CookieStage, routerId: string): bigint => makeCookie(stage, 'router', resourceIdBits(routerId));
export const providerCookie = (stage: CookieStage, networkId: string): bigint => makeCookie(stage, 'provider', resourceIdBits(networkId));
export const floatingIpCookie = (stage: CookieStage, fipId: string): bigint => makeCookie(stage, 'floating_ip', resourceIdBits(fipId));
/** The name a neighbor's id bits are taken from (never hex, so always the FNV fold). */
const neighborName = (networkId: string, ip: string): string => `neighbor ${networkId} ${ip}`;
export const neighborCookie = (networkId: string, ip: string): bigint => makeCookie('external', 'neighbor', resourceIdBits(neighborName(networkId, ip)));
export const pipelineCookie = (table = TABLE_CLASSIFY): bigint => makeCookie('default', 'pipeline', BigInt(table));

/** The cookie's resource id field: what resourceIdBits gave for the resource that made the flow. */
export function cookieIdBits(cookie: bigint): bigint {
  return cookie & ID_MASK;
}

/** Whether esdn owns a flow with this cookie. */
export function isEsdnCookie(cookie: bigint): boolean {
  return (cookie & COOKIE_MARKER_MASK) === COOKIE_MARKER;
}

export interface CookieResource {
  kind: 'port' | 'network' | 'host' | 'router' | 'floating_ip' | 'neighbor';
  id: string;
  /** the log stream holding the resource's events */
  stream: string;
}

export type CookieExplanation =
  | { owner: 'foreign' }
  | { owner: 'esdn'; stage: CookieStage | 'unknown'; kind: CookieKind | 'unknown'; idBits: bigint; resources: CookieResource[] };

/** Which resources a cookie names in this view (a 40-bit id can, rarely, match several). */
export function explainCookie(cookie: bigint, view: TopologyView): CookieExplanation {
  if (!isEsdnCookie(cookie)) return { owner: 'foreign' };
  const stage = COOKIE_STAGES[Number((cookie >> STAGE_SHIFT) & NIBBLE)] ?? 'unknown';
  const kind = COOKIE_KINDS[Number((cookie >> KIND_SHIFT) & NIBBLE)] ?? 'unknown';
  const idBits = cookieIdBits(cookie);
  const resources: CookieResource[] = [];
  if (kind === 'port') {
    for (const id of view.ports.keys()) if (resourceIdBits(id) === idBits) resources.push({ kind, id, stream: `port-${id}` });
  } else if (kind === 'network') {
    for (const n of view.networks.values()) if (n.vni !== null && BigInt(n.vni) === idBits) resources.push({ kind, id: n.id, stream: `network-${n.id}` });
  } else if (kind === 'host') {
    for (const h of view.hosts.keys()) if (resourceIdBits(h) === idBits) resources.push({ kind, id: h, stream: `host-${h}` });
  } else if (kind === 'router') {
    for (const id of view.routers?.keys() ?? []) if (resourceIdBits(id) === idBits) resources.push({ kind, id, stream: `router-${id}` });
  }
  resources.push(...explainExternal(kind, idBits, view));
  resources.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { owner: 'esdn', stage, kind, idBits, resources };
}

/** Provider networks, floating IPs and neighbor observations (issue 5) a cookie names. */
function explainExternal(kind: CookieKind | 'unknown', idBits: bigint, view: TopologyView): CookieResource[] {
  const out: CookieResource[] = [];
  if (kind === 'provider') {
    for (const n of view.networks.values()) if (n.vni === null && resourceIdBits(n.id) === idBits) out.push({ kind: 'network', id: n.id, stream: `network-${n.id}` });
  } else if (kind === 'floating_ip') {
    for (const id of externalOf(view).floatingIps.keys()) if (resourceIdBits(id) === idBits) out.push({ kind: 'floating_ip', id, stream: `floatingip-${id}` });
  } else if (kind === 'neighbor') {
    for (const [networkId, byIp] of externalOf(view).neighbors) {
      for (const [ip, n] of byIp) {
        if (resourceIdBits(neighborName(networkId, ip)) === idBits) out.push({ kind: 'neighbor', id: `${networkId} ${ip} ${n.mac}`, stream: `switch-${n.host}` });
      }
    }
  }
  return out;
}
