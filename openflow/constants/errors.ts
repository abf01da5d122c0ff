// Error type and code names: OpenFlow 1.3.5 section 7.4.4 (ofp_error_type and its code enums), plus the
// Nicira (0x00002320) and ONF (0x4f4e4600) experimenter errors Open vSwitch sends in OpenFlow 1.3
// (as listed by OVS include/openvswitch/ofp-errors.h and printed by `ovs-ofctl ofp-print`).
import { NX_VENDOR_ID, ONF_VENDOR_ID } from './oxm.ts';

export const OFPET_HELLO_FAILED = 0;
export const OFPET_BAD_REQUEST = 1;
export const OFPET_BAD_ACTION = 2;
export const OFPET_BAD_INSTRUCTION = 3;
export const OFPET_BAD_MATCH = 4;
export const OFPET_FLOW_MOD_FAILED = 5;
export const OFPET_GROUP_MOD_FAILED = 6;
export const OFPET_PORT_MOD_FAILED = 7;
export const OFPET_TABLE_MOD_FAILED = 8;
export const OFPET_QUEUE_OP_FAILED = 9;
export const OFPET_SWITCH_CONFIG_FAILED = 10;
export const OFPET_ROLE_REQUEST_FAILED = 11;
export const OFPET_METER_MOD_FAILED = 12;
export const OFPET_TABLE_FEATURES_FAILED = 13;
export const OFPET_EXPERIMENTER = 0xffff;

/** Code names per type, in code order (code n is the nth entry). */
const CODES: Record<number, { type: string; prefix: string; codes: string[] }> = {
  [OFPET_HELLO_FAILED]: { type: 'OFPET_HELLO_FAILED', prefix: 'OFPHFC_', codes: ['INCOMPATIBLE', 'EPERM'] },
  [OFPET_BAD_REQUEST]: {
    type: 'OFPET_BAD_REQUEST',
    prefix: 'OFPBRC_',
    codes: ['BAD_VERSION', 'BAD_TYPE', 'BAD_MULTIPART', 'BAD_EXPERIMENTER', 'BAD_EXP_TYPE', 'EPERM', 'BAD_LEN',
      'BUFFER_EMPTY', 'BUFFER_UNKNOWN', 'BAD_TABLE_ID', 'IS_SLAVE', 'BAD_PORT', 'BAD_PACKET', 'MULTIPART_BUFFER_OVERFLOW'],
  },
  [OFPET_BAD_ACTION]: {
    type: 'OFPET_BAD_ACTION',
    prefix: 'OFPBAC_',
    codes: ['BAD_TYPE', 'BAD_LEN', 'BAD_EXPERIMENTER', 'BAD_EXP_TYPE', 'BAD_OUT_PORT', 'BAD_ARGUMENT', 'EPERM',
      'TOO_MANY', 'BAD_QUEUE', 'BAD_OUT_GROUP', 'MATCH_INCONSISTENT', 'UNSUPPORTED_ORDER', 'BAD_TAG', 'BAD_SET_TYPE',
      'BAD_SET_LEN', 'BAD_SET_ARGUMENT'],
  },
  [OFPET_BAD_INSTRUCTION]: {
    type: 'OFPET_BAD_INSTRUCTION',
    prefix: 'OFPBIC_',
    codes: ['UNKNOWN_INST', 'UNSUP_INST', 'BAD_TABLE_ID', 'UNSUP_METADATA', 'UNSUP_METADATA_MASK', 'BAD_EXPERIMENTER',
      'BAD_EXP_TYPE', 'BAD_LEN', 'EPERM'],
  },
  [OFPET_BAD_MATCH]: {
    type: 'OFPET_BAD_MATCH',
    prefix: 'OFPBMC_',
    codes: ['BAD_TYPE', 'BAD_LEN', 'BAD_TAG', 'BAD_DL_ADDR_MASK', 'BAD_NW_ADDR_MASK', 'BAD_WILDCARDS', 'BAD_FIELD',
      'BAD_VALUE', 'BAD_MASK', 'BAD_PREREQ', 'DUP_FIELD', 'EPERM'],
  },
  [OFPET_FLOW_MOD_FAILED]: {
    type: 'OFPET_FLOW_MOD_FAILED',
    prefix: 'OFPFMFC_',
    codes: ['UNKNOWN', 'TABLE_FULL', 'BAD_TABLE_ID', 'OVERLAP', 'EPERM', 'BAD_TIMEOUT', 'BAD_COMMAND', 'BAD_FLAGS'],
  },
  [OFPET_GROUP_MOD_FAILED]: {
    type: 'OFPET_GROUP_MOD_FAILED',
    prefix: 'OFPGMFC_',
    codes: ['GROUP_EXISTS', 'INVALID_GROUP', 'WEIGHT_UNSUPPORTED', 'OUT_OF_GROUPS', 'OUT_OF_BUCKETS',
      'CHAINING_UNSUPPORTED', 'WATCH_UNSUPPORTED', 'LOOP', 'UNKNOWN_GROUP', 'CHAINED_GROUP', 'BAD_TYPE', 'BAD_COMMAND',
      'BAD_BUCKET', 'BAD_WATCH', 'EPERM'],
  },
  [OFPET_PORT_MOD_FAILED]: {
    type: 'OFPET_PORT_MOD_FAILED',
    prefix: 'OFPPMFC_',
    codes: ['BAD_PORT', 'BAD_HW_ADDR', 'BAD_CONFIG', 'BAD_ADVERTISE', 'EPERM'],
  },
  [OFPET_TABLE_MOD_FAILED]: { type: 'OFPET_TABLE_MOD_FAILED', prefix: 'OFPTMFC_', codes: ['BAD_TABLE', 'BAD_CONFIG', 'EPERM'] },
  [OFPET_QUEUE_OP_FAILED]: { type: 'OFPET_QUEUE_OP_FAILED', prefix: 'OFPQOFC_', codes: ['BAD_PORT', 'BAD_QUEUE', 'EPERM'] },
  [OFPET_SWITCH_CONFIG_FAILED]: { type: 'OFPET_SWITCH_CONFIG_FAILED', prefix: 'OFPSCFC_', codes: ['BAD_FLAGS', 'BAD_LEN', 'EPERM'] },
  [OFPET_ROLE_REQUEST_FAILED]: { type: 'OFPET_ROLE_REQUEST_FAILED', prefix: 'OFPRRFC_', codes: ['STALE', 'UNSUP', 'BAD_ROLE'] },
  [OFPET_METER_MOD_FAILED]: {
    type: 'OFPET_METER_MOD_FAILED',
    prefix: 'OFPMMFC_',
    codes: ['UNKNOWN', 'METER_EXISTS', 'INVALID_METER', 'UNKNOWN_METER', 'BAD_COMMAND', 'BAD_FLAGS', 'BAD_RATE',
      'BAD_BURST', 'BAD_BAND', 'BAD_BAND_VALUE', 'OUT_OF_METERS', 'OUT_OF_BANDS'],
  },
  [OFPET_TABLE_FEATURES_FAILED]: {
    type: 'OFPET_TABLE_FEATURES_FAILED',
    prefix: 'OFPTFFC_',
    codes: ['BAD_TABLE', 'BAD_METADATA', 'BAD_TYPE', 'BAD_LEN', 'BAD_ARGUMENT', 'EPERM'],
  },
};

/** Nicira extension errors in OpenFlow 1.2+ form: OFPET_EXPERIMENTER, experimenter 0x2320, exp_code. */
const NX_ERRORS = new Map<number, string>([
  [2, 'NXBRC_NXM_INVALID'], [3, 'NXBRC_NXM_BAD_TYPE'], [4, 'NXBRC_MUST_BE_ZERO'], [5, 'NXBRC_BAD_REASON'],
  [6, 'OFPMOFC_MONITOR_EXISTS'], [7, 'OFPMOFC_BAD_FLAGS'], [9, 'NXBRC_FM_BAD_EVENT'], [10, 'NXBRC_UNENCODABLE_ERROR'],
  [11, 'NXBAC_MUST_BE_ZERO'], [12, 'NXFMFC_HARDWARE'], [13, 'NXFMFC_BAD_TABLE_ID'], [15, 'NXBAC_BAD_CONJUNCTION'],
  [16, 'NXTTMFC_BAD_COMMAND'], [17, 'NXTTMFC_BAD_OPT_LEN'], [18, 'NXTTMFC_BAD_FIELD_IDX'], [19, 'NXTTMFC_TABLE_FULL'],
  [20, 'NXTTMFC_ALREADY_MAPPED'], [21, 'NXTTMFC_DUP_ENTRY'], [34, 'NXR_NOT_SUPPORTED'], [35, 'NXR_STALE'],
  [36, 'NXST_NOT_CONFIGURED'], [37, 'NXFMFC_INVALID_TLV_FIELD'], [38, 'NXTTMFC_INVALID_TLV_DEL'],
  [39, 'NXBAC_BAD_HEADER_TYPE'], [41, 'NXBAC_BAD_ED_PROP'], [42, 'NXBAC_CT_DATAPATH_SUPPORT'],
  [43, 'NXBMC_CT_DATAPATH_SUPPORT'], [44, 'NXTFFC_DUP_TABLE'],
]);

/** ONF extension errors in OpenFlow 1.3 (bundles, EXT-230): experimenter 0x4f4e4600, exp_code 2300+. */
export const ONF_BUNDLE_ERROR_BASE = 2300;
const ONF_ERRORS = new Map<number, string>([
  ...['UNKNOWN', 'EPERM', 'BAD_ID', 'BUNDLE_EXIST', 'BUNDLE_CLOSED', 'OUT_OF_BUNDLES', 'BAD_TYPE', 'BAD_FLAGS',
    'MSG_BAD_LEN', 'MSG_BAD_XID', 'MSG_UNSUP', 'MSG_CONFLICT', 'MSG_TOO_MANY', 'MSG_FAILED', 'TIMEOUT',
    'BUNDLE_IN_PROGRESS'].map((n, i): [number, string] => [ONF_BUNDLE_ERROR_BASE + i, `OFPBFC_${n}`]),
  [4443, 'OFPBPC_TOO_MANY'], [4444, 'OFPBPC_DUP_TYPE'], [4445, 'OFPBPC_BAD_EXPERIMENTER'],
  [4446, 'OFPBPC_BAD_EXP_TYPE'], [4447, 'OFPBPC_BAD_EXP_VALUE'], [4448, 'OFPBPC_EPERM'],
]);

/** Symbolic names for an error; unknown numbers print as UNKNOWN(n). */
export function errorNames(errType: number, errCode: number, experimenter?: number): { typeName: string; codeName: string } {
  if (errType === OFPET_EXPERIMENTER) {
    const table = experimenter === NX_VENDOR_ID ? NX_ERRORS : experimenter === ONF_VENDOR_ID ? ONF_ERRORS : undefined;
    return { typeName: 'OFPET_EXPERIMENTER', codeName: table?.get(errCode) ?? `UNKNOWN(${errCode})` };
  }
  const t = CODES[errType];
  if (t === undefined) return { typeName: `UNKNOWN(${errType})`, codeName: `UNKNOWN(${errCode})` };
  const c = t.codes[errCode];
  return { typeName: t.type, codeName: c === undefined ? `UNKNOWN(${errCode})` : t.prefix + c };
}
