// The TypeScript shapes of every OpenFlow 1.3 message, match field, instruction and action this library speaks.
//
// Conventions: discriminants are snake_case; u64 values (cookie, datapath id, metadata, tunnel id,
// 64-bit registers, packet counters) are bigint; 128-bit ct_label is bigint; MAC addresses are
// lower-case "aa:bb:cc:dd:ee:ff" strings; IPv4 addresses are dotted quads; IPv6 addresses are in
// the canonical compressed form (RFC 5952, lower case). Byte payloads are Buffers. Every field is
// required unless the wire format itself makes it optional, so decode(encode(x)) deep-equals x.

// ---------------------------------------------------------------------------------------------
// Errors and results

export type DecodeErrorCode = 'truncated' | 'bad_length' | 'bad_version' | 'unknown_type' | 'bad_value' | 'unsupported';

export interface DecodeError {
  code: DecodeErrorCode;
  message: string;
  /** byte offset inside the frame (or the framer's stream) where the problem was found */
  offset: number;
}

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: DecodeError };

// ---------------------------------------------------------------------------------------------
// Match fields (OXM, OpenFlow 1.3.5 section 7.2.3, plus Nicira NXM and experimenter fields)

/** Value type of each known match field. */
export interface OxmValueTypes {
  // OpenFlow basic class 0x8000 (spec 7.2.3.7)
  in_port: number;
  in_phy_port: number;
  metadata: bigint;
  eth_dst: string;
  eth_src: string;
  eth_type: number;
  /** includes OFPVID_PRESENT (0x1000) exactly as on the wire */
  vlan_vid: number;
  vlan_pcp: number;
  ip_dscp: number;
  ip_ecn: number;
  ip_proto: number;
  ipv4_src: string;
  ipv4_dst: string;
  tcp_src: number;
  tcp_dst: number;
  udp_src: number;
  udp_dst: number;
  sctp_src: number;
  sctp_dst: number;
  icmpv4_type: number;
  icmpv4_code: number;
  arp_op: number;
  arp_spa: string;
  arp_tpa: string;
  arp_sha: string;
  arp_tha: string;
  ipv6_src: string;
  ipv6_dst: string;
  ipv6_flabel: number;
  icmpv6_type: number;
  icmpv6_code: number;
  ipv6_nd_target: string;
  ipv6_nd_sll: string;
  ipv6_nd_tll: string;
  mpls_label: number;
  mpls_tc: number;
  mpls_bos: number;
  pbb_isid: number;
  tunnel_id: bigint;
  ipv6_exthdr: number;
  // OpenFlow packet registers class 0x8001 (OVS xreg0-7)
  xreg0: bigint; xreg1: bigint; xreg2: bigint; xreg3: bigint;
  xreg4: bigint; xreg5: bigint; xreg6: bigint; xreg7: bigint;
  /** NXM_OF_VLAN_TCI (class 0x0000): the whole 802.1Q TCI, as Neutron's learn flows name it */
  vlan_tci: number;
  // Nicira NXM_1 class 0x0001 (OVS lib/meta-flow.xml)
  reg0: number; reg1: number; reg2: number; reg3: number;
  reg4: number; reg5: number; reg6: number; reg7: number;
  reg8: number; reg9: number; reg10: number; reg11: number;
  reg12: number; reg13: number; reg14: number; reg15: number;
  nw_frag: number;
  nw_ttl: number;
  tun_ipv4_src: string;
  tun_ipv4_dst: string;
  pkt_mark: number;
  dp_hash: number;
  recirc_id: number;
  conj_id: number;
  tun_flags: number;
  ct_state: number;
  ct_zone: number;
  ct_mark: number;
  ct_label: bigint;
  tun_ipv6_src: string;
  tun_ipv6_dst: string;
  ct_nw_proto: number;
  ct_nw_src: string;
  ct_nw_dst: string;
  ct_ipv6_src: string;
  ct_ipv6_dst: string;
  ct_tp_src: number;
  ct_tp_dst: number;
  // ONF experimenter field (0x4f4e4600) that OVS uses for tcp_flags in OpenFlow 1.3
  tcp_flags: number;
}

export type OxmFieldName = keyof OxmValueTypes;

/** One known match field; `mask` present means the OXM has its has-mask bit set. */
export type KnownOxm = {
  [K in OxmFieldName]: { field: K; value: OxmValueTypes[K]; mask?: OxmValueTypes[K] };
}[OxmFieldName];

/** A field this library does not know: kept byte for byte so decode -> encode preserves it. */
export interface UnknownOxm {
  field: 'unknown';
  oxmClass: number;
  oxmField: number;
  hasMask: boolean;
  /** present only for the experimenter class 0xffff */
  experimenter?: number;
  /** payload after the header (and after the experimenter id), value and mask together */
  body: Buffer;
}

export type Oxm = KnownOxm | UnknownOxm;

/** An OXM match: fields in wire order (Open vSwitch sends prerequisites first). */
export type Match = Oxm[];

/** A bit range of a field, as in `NXM_NX_REG0[0..15]`; nBits = full width for `FIELD[]`. */
export interface FieldSlice {
  field: OxmFieldName;
  ofs: number;
  nBits: number;
}

// ---------------------------------------------------------------------------------------------
// Actions (spec 7.2.5) and Nicira extension actions (experimenter 0x00002320)

export type Action =
  | { type: 'output'; port: number; maxLen: number }
  | { type: 'copy_ttl_out' }
  | { type: 'copy_ttl_in' }
  | { type: 'set_mpls_ttl'; ttl: number }
  | { type: 'dec_mpls_ttl' }
  | { type: 'push_vlan'; ethertype: number }
  | { type: 'pop_vlan' }
  | { type: 'push_mpls'; ethertype: number }
  | { type: 'pop_mpls'; ethertype: number }
  | { type: 'set_queue'; queueId: number }
  | { type: 'group'; groupId: number }
  | { type: 'set_nw_ttl'; ttl: number }
  | { type: 'dec_nw_ttl' }
  /** OFPAT_SET_FIELD without a mask; with a mask it is Nicira NXAST_REG_LOAD2 (what OVS sends) */
  | { type: 'set_field'; field: KnownOxm }
  | { type: 'push_pbb'; ethertype: number }
  | { type: 'pop_pbb' }
  // Nicira extensions
  /**
   * Sent as NXAST_RESUBMIT_TABLE (or _CT), as ovs-ofctl does; NXAST_RESUBMIT decodes with table 255. port uses 32-bit
   * numbers (OFPP_IN_PORT 0xfffffff8 = the packet's in_port); table 255 = the current table.
   */
  | { type: 'resubmit'; port: number; table: number; ct: boolean }
  | { type: 'reg_move'; src: FieldSlice; dst: FieldSlice }
  /** NXAST_REG_LOAD: load an immediate into a bit range */
  | { type: 'reg_load'; dst: FieldSlice; value: bigint }
  | CtAction
  | NatAction
  /** NXAST_DEC_TTL_CNT_IDS (OVS `dec_ttl(ids)`); NXAST_DEC_TTL decodes to this with no ids. Plain `dec_ttl` in OF1.3 is dec_nw_ttl */
  | { type: 'dec_ttl'; controllerIds: number[] }
  /** NXAST_CONTROLLER */
  | { type: 'controller'; maxLen: number; controllerId: number; reason: number }
  | Controller2Action
  | { type: 'note'; note: Buffer }
  /** clause is 0-based as on the wire; ovs-ofctl text `conjunction(id,k/n)` has k = clause + 1 */
  | { type: 'conjunction'; id: number; clause: number; nClauses: number }
  | LearnAction
  | { type: 'output_reg'; src: FieldSlice; maxLen: number }
  /** NXAST_EXIT */
  | { type: 'exit' }
  /** NXAST_CT_CLEAR: forget the packet's conntrack state */
  | { type: 'ct_clear' }
  /** any other experimenter action: `data` is everything after the 4-byte experimenter id */
  | { type: 'experimenter'; experimenter: number; data: Buffer }
  /** a standard action type this library does not know: `data` is everything after type and length */
  | { type: 'unknown'; actionType: number; data: Buffer };

export type ActionType = Action['type'];

/** NXAST_CT: the conntrack action. */
export interface CtAction {
  type: 'ct';
  commit: boolean;
  force: boolean;
  /** zone from an immediate value or from a field slice */
  zone: { imm: number } | { src: FieldSlice };
  /** 255 = no recirculation */
  recircTable: number;
  alg: number;
  /** nested actions: nat and set_field of ct_mark / ct_label */
  actions: Action[];
}

/** NXAST_NAT (only valid inside ct). Ranges are present only when given. */
export interface NatAction {
  type: 'nat';
  kind: 'src' | 'dst' | null;
  persistent: boolean;
  hash: boolean;
  random: boolean;
  ipv4Min?: string;
  ipv4Max?: string;
  ipv6Min?: string;
  ipv6Max?: string;
  protoMin?: number;
  protoMax?: number;
}

/** NXAST_CONTROLLER2: properties are present only when given. */
export interface Controller2Action {
  type: 'controller2';
  maxLen?: number;
  controllerId?: number;
  reason?: number;
  userdata?: Buffer;
  pause: boolean;
  meterId?: number;
}

/** One learn spec: copies a field or an immediate into the new flow's match, a load, or an output. */
export interface LearnSpec {
  kind: 'match' | 'load' | 'output';
  nBits: number;
  /** source: a field slice or an immediate value (nBits wide) */
  src: { field: FieldSlice } | { value: bigint };
  /** destination slice; absent for 'output' */
  dst?: FieldSlice;
}

/** NXAST_LEARN */
export interface LearnAction {
  type: 'learn';
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  cookie: bigint;
  flags: number;
  tableId: number;
  finIdleTimeout: number;
  finHardTimeout: number;
  specs: LearnSpec[];
}

// ---------------------------------------------------------------------------------------------
// Instructions (spec 7.2.4)

export type Instruction =
  | { type: 'goto_table'; tableId: number }
  | { type: 'write_metadata'; metadata: bigint; mask: bigint }
  | { type: 'write_actions'; actions: Action[] }
  | { type: 'apply_actions'; actions: Action[] }
  | { type: 'clear_actions' }
  | { type: 'meter'; meterId: number }
  | { type: 'experimenter'; experimenter: number; data: Buffer };

// ---------------------------------------------------------------------------------------------
// Structures shared by messages

/** struct ofp_port (spec 7.2.1) */
export interface PortDesc {
  portNo: number;
  hwAddr: string;
  name: string;
  config: number;
  state: number;
  curr: number;
  advertised: number;
  supported: number;
  peer: number;
  currSpeed: number;
  maxSpeed: number;
}

export interface Bucket {
  weight: number;
  watchPort: number;
  watchGroup: number;
  actions: Action[];
}

export type MeterBand =
  | { kind: 'drop'; rate: number; burstSize: number }
  | { kind: 'dscp_remark'; rate: number; burstSize: number; precLevel: number }
  | { kind: 'experimenter'; rate: number; burstSize: number; experimenter: number; data: Buffer };

export type FlowModCommand = 'add' | 'modify' | 'modify_strict' | 'delete' | 'delete_strict';
export type GroupModCommand = 'add' | 'modify' | 'delete';
export type GroupType = 'all' | 'select' | 'indirect' | 'ff';
export type MeterModCommand = 'add' | 'modify' | 'delete';
export type PortStatusReason = 'add' | 'delete' | 'modify';
export type ControllerRole = 'nochange' | 'equal' | 'master' | 'slave';
export type BundleCtrlType =
  | 'open_request' | 'open_reply' | 'close_request' | 'close_reply'
  | 'commit_request' | 'commit_reply' | 'discard_request' | 'discard_reply';

// ---------------------------------------------------------------------------------------------
// Multipart bodies (spec 7.3.5)

export interface FlowStatsRequest {
  tableId: number;
  outPort: number;
  outGroup: number;
  cookie: bigint;
  cookieMask: bigint;
  match: Match;
}

export type MultipartRequestBody =
  | { kind: 'desc' }
  | ({ kind: 'flow' } & FlowStatsRequest)
  | ({ kind: 'aggregate' } & FlowStatsRequest)
  | { kind: 'table' }
  | { kind: 'port_stats'; portNo: number }
  | { kind: 'port_desc' }
  | { kind: 'group_desc' }
  | { kind: 'meter_config'; meterId: number }
  | { kind: 'unknown'; mpType: number; body: Buffer };

export interface FlowStats {
  tableId: number;
  durationSec: number;
  durationNsec: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  flags: number;
  cookie: bigint;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
  instructions: Instruction[];
}

export interface TableStats {
  tableId: number;
  activeCount: number;
  lookupCount: bigint;
  matchedCount: bigint;
}

export interface PortStats {
  portNo: number;
  rxPackets: bigint;
  txPackets: bigint;
  rxBytes: bigint;
  txBytes: bigint;
  rxDropped: bigint;
  txDropped: bigint;
  rxErrors: bigint;
  txErrors: bigint;
  rxFrameErr: bigint;
  rxOverErr: bigint;
  rxCrcErr: bigint;
  collisions: bigint;
  durationSec: number;
  durationNsec: number;
}

export interface GroupDesc {
  groupType: GroupType;
  groupId: number;
  buckets: Bucket[];
}

export interface MeterConfig {
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export type MultipartReplyBody =
  | { kind: 'desc'; mfrDesc: string; hwDesc: string; swDesc: string; serialNum: string; dpDesc: string }
  | { kind: 'flow'; flows: FlowStats[] }
  | { kind: 'aggregate'; packetCount: bigint; byteCount: bigint; flowCount: number }
  | { kind: 'table'; tables: TableStats[] }
  | { kind: 'port_stats'; ports: PortStats[] }
  | { kind: 'port_desc'; ports: PortDesc[] }
  | { kind: 'group_desc'; groups: GroupDesc[] }
  | { kind: 'meter_config'; meters: MeterConfig[] }
  | { kind: 'unknown'; mpType: number; body: Buffer };

// ---------------------------------------------------------------------------------------------
// Messages (spec 7.1 - 7.5). Every message has `xid`; version is 4 except where noted.

export interface Hello {
  type: 'hello';
  xid: number;
  /** header version: hellos of any version decode, so version negotiation can happen */
  version: number;
  /** versions from the OFPHET_VERSIONBITMAP element, ascending; [] = no bitmap element */
  versions: number[];
}

export interface ErrorMsg {
  type: 'error';
  xid: number;
  /** header version: errors of any version decode (OFPET_HELLO_FAILED arrives before negotiation) */
  version: number;
  /** OFPET_* number; 0xffff = OFPET_EXPERIMENTER */
  errType: number;
  /** OFPxxC_* number, or exp_code for experimenter errors */
  errCode: number;
  /** experimenter id, present only when errType is 0xffff (Nicira 0x2320, ONF 0x4f4e4600) */
  experimenter?: number;
  /** symbolic names, e.g. 'OFPET_BAD_MATCH' / 'OFPBMC_BAD_PREREQ'; 'UNKNOWN(n)' otherwise */
  typeName: string;
  codeName: string;
  /** usually the first bytes of the offending request */
  data: Buffer;
}

export interface EchoRequest { type: 'echo_request'; xid: number; data: Buffer }
export interface EchoReply { type: 'echo_reply'; xid: number; data: Buffer }
export interface Experimenter { type: 'experimenter'; xid: number; experimenter: number; expType: number; data: Buffer }
export interface FeaturesRequest { type: 'features_request'; xid: number }
export interface FeaturesReply {
  type: 'features_reply';
  xid: number;
  datapathId: bigint;
  nBuffers: number;
  nTables: number;
  auxiliaryId: number;
  capabilities: number;
}
export interface GetConfigRequest { type: 'get_config_request'; xid: number }
export interface GetConfigReply { type: 'get_config_reply'; xid: number; flags: number; missSendLen: number }
export interface SetConfig { type: 'set_config'; xid: number; flags: number; missSendLen: number }

export interface PacketIn {
  type: 'packet_in';
  xid: number;
  bufferId: number;
  totalLen: number;
  /** OFPR_* (0 no_match, 1 action, 2 invalid_ttl; OVS may send others) */
  reason: number;
  tableId: number;
  cookie: bigint;
  match: Match;
  data: Buffer;
}

export interface PacketOut {
  type: 'packet_out';
  xid: number;
  bufferId: number;
  inPort: number;
  actions: Action[];
  data: Buffer;
}

export interface FlowRemoved {
  type: 'flow_removed';
  xid: number;
  cookie: bigint;
  priority: number;
  /** OFPRR_* */
  reason: number;
  tableId: number;
  durationSec: number;
  durationNsec: number;
  idleTimeout: number;
  hardTimeout: number;
  packetCount: bigint;
  byteCount: bigint;
  match: Match;
}

export interface PortStatus { type: 'port_status'; xid: number; reason: PortStatusReason; desc: PortDesc }

export interface FlowMod {
  type: 'flow_mod';
  xid: number;
  cookie: bigint;
  cookieMask: bigint;
  tableId: number;
  command: FlowModCommand;
  idleTimeout: number;
  hardTimeout: number;
  priority: number;
  bufferId: number;
  outPort: number;
  outGroup: number;
  /** OFPFF_* bits */
  flags: number;
  match: Match;
  instructions: Instruction[];
}

export interface GroupMod {
  type: 'group_mod';
  xid: number;
  command: GroupModCommand;
  groupType: GroupType;
  groupId: number;
  buckets: Bucket[];
}

export interface MeterMod {
  type: 'meter_mod';
  xid: number;
  command: MeterModCommand;
  /** OFPMF_* bits */
  flags: number;
  meterId: number;
  bands: MeterBand[];
}

export interface BarrierRequest { type: 'barrier_request'; xid: number }
export interface BarrierReply { type: 'barrier_reply'; xid: number }
export interface RoleRequest { type: 'role_request'; xid: number; role: ControllerRole; generationId: bigint }
export interface RoleReply { type: 'role_reply'; xid: number; role: ControllerRole; generationId: bigint }

export interface MultipartRequest {
  type: 'multipart_request';
  xid: number;
  /** OFPMPF_REQ_MORE = 1 */
  flags: number;
  body: MultipartRequestBody;
}

export interface MultipartReply {
  type: 'multipart_reply';
  xid: number;
  /** OFPMPF_REPLY_MORE = 1: more replies with this xid follow */
  flags: number;
  body: MultipartReplyBody;
}

/** ONF extension 2300 (ONFT_BUNDLE_CONTROL), carried in an OFPT_EXPERIMENTER in OpenFlow 1.3 */
export interface BundleControl {
  type: 'bundle_control';
  xid: number;
  bundleId: number;
  ctrlType: BundleCtrlType;
  atomic: boolean;
  ordered: boolean;
  /** bundle properties, raw (OVS sends none) */
  properties: Buffer;
}

/** ONF extension 2301 (ONFT_BUNDLE_ADD_MESSAGE): `message` is the inner request (same xid by convention) */
export interface BundleAdd {
  type: 'bundle_add';
  xid: number;
  bundleId: number;
  atomic: boolean;
  ordered: boolean;
  message: OfpMessage;
  properties: Buffer;
}

/**
 * OFPT_SET_ASYNC / OFPT_GET_ASYNC_REPLY (spec 7.3.10): which async messages this connection gets, as bit masks
 * of reasons (bit n = reason n), each [as master or equal, as slave].
 */
export interface AsyncConfig {
  packetInMask: [number, number];
  portStatusMask: [number, number];
  flowRemovedMask: [number, number];
}
export interface SetAsync extends AsyncConfig { type: 'set_async'; xid: number }
export interface GetAsyncRequest { type: 'get_async_request'; xid: number }
export interface GetAsyncReply extends AsyncConfig { type: 'get_async_reply'; xid: number }

export type PacketInFormat = 'standard' | 'nxt_packet_in' | 'nxt_packet_in2';

/** Nicira NXT_SET_PACKET_IN_FORMAT: ask OVS for NXT_PACKET_IN2 (needed to receive controller() userdata). */
export interface NxSetPacketInFormat { type: 'nx_set_packet_in_format'; xid: number; format: PacketInFormat }

/**
 * The properties of Nicira NXT_PACKET_IN2 and NXT_RESUME: the packet, where it came from, the flow
 * metadata (a match), controller() userdata and the continuation of a paused pipeline. Properties
 * are present only when the switch sent them; `match` is [] when there is no metadata property.
 */
export interface NxPacketInProps {
  xid: number;
  data: Buffer;
  fullLen?: number;
  bufferId?: number;
  tableId?: number;
  cookie?: bigint;
  reason?: number;
  match: Match;
  userdata?: Buffer;
  continuation?: Buffer;
}
export interface NxPacketIn2 extends NxPacketInProps { type: 'nx_packet_in2' }
/** NXT_RESUME: send a paused packet (with its continuation) back to the switch. */
export interface NxResume extends NxPacketInProps { type: 'nx_resume' }

export type OfpMessage =
  | Hello
  | ErrorMsg
  | EchoRequest
  | EchoReply
  | Experimenter
  | FeaturesRequest
  | FeaturesReply
  | GetConfigRequest
  | GetConfigReply
  | SetConfig
  | PacketIn
  | PacketOut
  | FlowRemoved
  | PortStatus
  | FlowMod
  | GroupMod
  | MeterMod
  | BarrierRequest
  | BarrierReply
  | RoleRequest
  | RoleReply
  | MultipartRequest
  | MultipartReply
  | BundleControl
  | BundleAdd
  | NxSetPacketInFormat
  | NxPacketIn2
  | NxResume
  | SetAsync
  | GetAsyncRequest
  | GetAsyncReply;

export type OfpMessageType = OfpMessage['type'];

/** Picks one message shape by its type name. */
export type MessageOf<T extends OfpMessageType> = Extract<OfpMessage, { type: T }>;

/** The part of a flow_mod that ovs-ofctl flow text describes (what parseFlow returns). */
export interface FlowSpec {
  cookie: bigint;
  tableId: number;
  priority: number;
  idleTimeout: number;
  hardTimeout: number;
  match: Match;
  instructions: Instruction[];
}
