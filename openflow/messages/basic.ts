// Codecs of the symmetric and session messages: hello, error, echo, experimenter, features, config, barrier, role.
import { errorNames, OFPET_EXPERIMENTER } from '../constants/errors.ts';
import * as M from '../constants/messages.ts';
import { EncodeError } from '../wire/errors.ts';
import type { Reader } from '../wire/reader.ts';
import { pad8, type Writer } from '../wire/writer.ts';
import type {
  AsyncConfig, ControllerRole, EchoReply, EchoRequest, ErrorMsg, Experimenter, FeaturesReply, GetConfigReply, Hello, RoleReply,
  RoleRequest, SetConfig,
} from './types.ts';

const BITS_PER_WORD = 32;

// --- hello (spec 7.5.1)

export function helloLength(m: Hello): number {
  if (m.versions.length === 0) return 0;
  const words = Math.floor(Math.max(...m.versions) / BITS_PER_WORD) + 1;
  return pad8(M.OFP_HELLO_ELEM_HEADER_LEN + 4 * words);
}

export function encodeHello(w: Writer, m: Hello): void {
  if (m.versions.length === 0) return;
  const words = Math.floor(Math.max(...m.versions) / BITS_PER_WORD) + 1;
  const bitmap = new Array<number>(words).fill(0);
  for (const v of m.versions) bitmap[Math.floor(v / BITS_PER_WORD)] |= 1 << (v % BITS_PER_WORD);
  const len = M.OFP_HELLO_ELEM_HEADER_LEN + 4 * words;
  w.u16(M.OFPHET_VERSIONBITMAP);
  w.u16(len);
  for (const b of bitmap) w.u32(b);
  w.zeros(pad8(len) - len);
}

export function decodeHello(r: Reader, xid: number, version: number): Hello {
  const versions: number[] = [];
  while (r.remaining >= M.OFP_HELLO_ELEM_HEADER_LEN) {
    const at = r.pos;
    const type = r.u16();
    const len = r.u16();
    if (len < M.OFP_HELLO_ELEM_HEADER_LEN) r.fail('bad_length', `hello element length ${len}`, at + 2);
    r.within(len - M.OFP_HELLO_ELEM_HEADER_LEN, 'hello element', () => {
      if (type !== M.OFPHET_VERSIONBITMAP) return;
      for (let word = 0; r.remaining >= 4; word++) {
        const bits = r.u32();
        for (let b = 0; b < BITS_PER_WORD; b++) if ((bits >>> b) & 1) versions.push(word * BITS_PER_WORD + b);
      }
    });
    // elements are padded to 8, but the last one's padding may be missing
    r.pos = Math.min(r.end, at + pad8(len));
  }
  return { type: 'hello', xid, version, versions };
}

// --- error (spec 7.4.4)

export function errorLength(m: ErrorMsg): number {
  return (m.errType === OFPET_EXPERIMENTER ? M.OFP_ERROR_EXPERIMENTER_FIXED_LEN : M.OFP_ERROR_FIXED_LEN) + m.data.length;
}

export function encodeError(w: Writer, m: ErrorMsg): void {
  w.u16(m.errType);
  w.u16(m.errCode);
  if (m.errType === OFPET_EXPERIMENTER) w.u32(m.experimenter ?? 0);
  w.bytes(m.data);
}

export function decodeError(r: Reader, xid: number, version: number): ErrorMsg {
  const errType = r.u16();
  const errCode = r.u16();
  if (errType === OFPET_EXPERIMENTER) {
    const experimenter = r.u32();
    const names = errorNames(errType, errCode, experimenter);
    return { type: 'error', xid, version, errType, errCode, experimenter, ...names, data: r.bytes(r.remaining) };
  }
  return { type: 'error', xid, version, errType, errCode, ...errorNames(errType, errCode), data: r.bytes(r.remaining) };
}

// --- echo and experimenter (spec 7.5.2 - 7.5.4)

export function decodeEcho(r: Reader, xid: number, type: 'echo_request' | 'echo_reply'): EchoRequest | EchoReply {
  return { type, xid, data: r.bytes(r.remaining) };
}

export function encodeExperimenter(w: Writer, m: Experimenter): void {
  w.u32(m.experimenter);
  w.u32(m.expType);
  w.bytes(m.data);
}

export function decodeExperimenterMsg(r: Reader, xid: number, experimenter: number, expType: number): Experimenter {
  return { type: 'experimenter', xid, experimenter, expType, data: r.bytes(r.remaining) };
}

// --- features (spec 7.3.1)

export function encodeFeaturesReply(w: Writer, m: FeaturesReply): void {
  w.u64(m.datapathId);
  w.u32(m.nBuffers);
  w.u8(m.nTables);
  w.u8(m.auxiliaryId);
  w.zeros(2);
  w.u32(m.capabilities);
  w.u32(0); // reserved
}

export function decodeFeaturesReply(r: Reader, xid: number): FeaturesReply {
  const datapathId = r.u64();
  const nBuffers = r.u32();
  const nTables = r.u8();
  const auxiliaryId = r.u8();
  r.skip(2);
  const capabilities = r.u32();
  r.skip(4);
  return { type: 'features_reply', xid, datapathId, nBuffers, nTables, auxiliaryId, capabilities };
}

// --- switch configuration (spec 7.3.2)

export const SWITCH_CONFIG_LEN = 4;

export function encodeSwitchConfig(w: Writer, m: GetConfigReply | SetConfig): void {
  w.u16(m.flags);
  w.u16(m.missSendLen);
}

export function decodeSwitchConfig(r: Reader, xid: number, type: 'get_config_reply' | 'set_config'): GetConfigReply | SetConfig {
  const flags = r.u16();
  return { type, xid, flags, missSendLen: r.u16() };
}

// --- role (spec 7.3.9)

function roleIndex(role: ControllerRole): number {
  const i = M.CONTROLLER_ROLES.indexOf(role);
  if (i < 0) throw new EncodeError(`unknown controller role '${role}'`);
  return i;
}

export function encodeRole(w: Writer, m: RoleRequest | RoleReply): void {
  w.u32(roleIndex(m.role));
  w.zeros(4);
  w.u64(m.generationId);
}

export function decodeRole(r: Reader, xid: number, type: 'role_request' | 'role_reply'): RoleRequest | RoleReply {
  const at = r.pos;
  const n = r.u32();
  const role = M.CONTROLLER_ROLES[n];
  if (role === undefined) r.fail('bad_value', `controller role ${n}`, at);
  r.skip(4);
  return { type, xid, role, generationId: r.u64() };
}

// --- asynchronous message configuration (spec 7.3.10)

export function encodeAsyncConfig(w: Writer, m: AsyncConfig): void {
  for (const pair of [m.packetInMask, m.portStatusMask, m.flowRemovedMask]) {
    w.u32(pair[0]);
    w.u32(pair[1]);
  }
}

export function decodeAsyncConfig(r: Reader): AsyncConfig {
  const pair = (): [number, number] => [r.u32(), r.u32()];
  const packetInMask = pair();
  const portStatusMask = pair();
  return { packetInMask, portStatusMask, flowRemovedMask: pair() };
}
