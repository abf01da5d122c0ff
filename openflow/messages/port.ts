// Codec of struct ofp_port (spec 7.2.1), used by port_status and the port_desc multipart reply.
import { OFP_MAX_PORT_NAME_LEN } from '../constants/messages.ts';
import { readMac, writeMac } from '../wire/addr.ts';
import type { Reader } from '../wire/reader.ts';
import type { Writer } from '../wire/writer.ts';
import type { PortDesc } from './types.ts';

export function encodePort(w: Writer, p: PortDesc): void {
  w.u32(p.portNo);
  w.zeros(4);
  writeMac(w, p.hwAddr);
  w.zeros(2);
  w.fixedString(p.name, OFP_MAX_PORT_NAME_LEN);
  w.u32(p.config);
  w.u32(p.state);
  w.u32(p.curr);
  w.u32(p.advertised);
  w.u32(p.supported);
  w.u32(p.peer);
  w.u32(p.currSpeed);
  w.u32(p.maxSpeed);
}

export function decodePort(r: Reader): PortDesc {
  const portNo = r.u32();
  r.skip(4);
  const hwAddr = readMac(r);
  r.skip(2);
  const name = r.fixedString(OFP_MAX_PORT_NAME_LEN);
  return {
    portNo,
    hwAddr,
    name,
    config: r.u32(),
    state: r.u32(),
    curr: r.u32(),
    advertised: r.u32(),
    supported: r.u32(),
    peer: r.u32(),
    currSpeed: r.u32(),
    maxSpeed: r.u32(),
  };
}
