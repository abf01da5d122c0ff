// OpenFlow version negotiation from the peer's HELLO (spec 6.3.1): this library speaks 1.3 only.
import type { ErrorMsg, Hello } from '../messages/types.ts';
import { OFP13_VERSION, OFPET_HELLO_FAILED, OFPHFC_INCOMPATIBLE } from './constants.ts';

export type Negotiation = { ok: true } | { ok: false; reason: string };

/** Our HELLO: header version 1.3 and a version bitmap naming only 1.3. */
export function ourHello(xid: number): Hello {
  return { type: 'hello', xid, version: OFP13_VERSION, versions: [OFP13_VERSION] };
}

/**
 * With bitmaps on both sides the common highest version must be 1.3; without one, the negotiated
 * version is the smaller of the two header versions, so a peer must announce 1.3 or later.
 */
export function negotiate(peer: Hello): Negotiation {
  if (peer.versions.length > 0) {
    return peer.versions.includes(OFP13_VERSION)
      ? { ok: true }
      : { ok: false, reason: `peer supports OpenFlow wire versions [${peer.versions.join(', ')}], not ${OFP13_VERSION}` };
  }
  return peer.version >= OFP13_VERSION
    ? { ok: true }
    : { ok: false, reason: `peer speaks OpenFlow wire version ${peer.version} only, need ${OFP13_VERSION}` };
}

/**
 * ERROR HELLO_FAILED/INCOMPATIBLE with a readable reason as data (the spec suggests ASCII text).
 * It carries the peer's header version when lower, so an older peer can still parse it.
 */
export function helloFailed(xid: number, peerVersion: number, reason: string): ErrorMsg {
  return {
    type: 'error',
    xid,
    version: Math.min(Math.max(peerVersion, 1), OFP13_VERSION),
    errType: OFPET_HELLO_FAILED,
    errCode: OFPHFC_INCOMPATIBLE,
    typeName: 'OFPET_HELLO_FAILED',
    codeName: 'OFPHFC_INCOMPATIBLE',
    data: Buffer.from(reason, 'ascii'),
  };
}
