// Message type numbers, header layout and per-message enums (OpenFlow 1.3.5 sections 7.1 - 7.5, ONF EXT-230 bundles).

/** OFP_VERSION for OpenFlow 1.3 (spec 7.1) */
export const OFP_VERSION_13 = 0x04;
/** struct ofp_header: version, type, length, xid (spec 7.1) */
export const OFP_HEADER_LEN = 8;
export const OFP_MAX_LENGTH = 0xffff;

// enum ofp_type (spec 7.1)
export const OFPT_HELLO = 0;
export const OFPT_ERROR = 1;
export const OFPT_ECHO_REQUEST = 2;
export const OFPT_ECHO_REPLY = 3;
export const OFPT_EXPERIMENTER = 4;
export const OFPT_FEATURES_REQUEST = 5;
export const OFPT_FEATURES_REPLY = 6;
export const OFPT_GET_CONFIG_REQUEST = 7;
export const OFPT_GET_CONFIG_REPLY = 8;
export const OFPT_SET_CONFIG = 9;
export const OFPT_PACKET_IN = 10;
export const OFPT_FLOW_REMOVED = 11;
export const OFPT_PORT_STATUS = 12;
export const OFPT_PACKET_OUT = 13;
export const OFPT_FLOW_MOD = 14;
export const OFPT_GROUP_MOD = 15;
export const OFPT_PORT_MOD = 16;
export const OFPT_TABLE_MOD = 17;
export const OFPT_MULTIPART_REQUEST = 18;
export const OFPT_MULTIPART_REPLY = 19;
export const OFPT_BARRIER_REQUEST = 20;
export const OFPT_BARRIER_REPLY = 21;
export const OFPT_QUEUE_GET_CONFIG_REQUEST = 22;
export const OFPT_QUEUE_GET_CONFIG_REPLY = 23;
export const OFPT_ROLE_REQUEST = 24;
export const OFPT_ROLE_REPLY = 25;
export const OFPT_GET_ASYNC_REQUEST = 26;
export const OFPT_GET_ASYNC_REPLY = 27;
export const OFPT_SET_ASYNC = 28;
export const OFPT_METER_MOD = 29;

/** Hello elements (spec 7.5.1): OFPHET_VERSIONBITMAP */
export const OFPHET_VERSIONBITMAP = 1;
export const OFP_HELLO_ELEM_HEADER_LEN = 4;

/** ofp_switch_features body after the header (spec 7.3.1): 24 bytes */
export const OFP_SWITCH_FEATURES_BODY_LEN = 24;
/** ofp_capabilities bits (spec 7.3.1) */
export const OFPC_FLOW_STATS = 1 << 0;
export const OFPC_TABLE_STATS = 1 << 1;
export const OFPC_PORT_STATS = 1 << 2;
export const OFPC_GROUP_STATS = 1 << 3;
export const OFPC_IP_REASM = 1 << 5;
export const OFPC_QUEUE_STATS = 1 << 6;
export const OFPC_PORT_BLOCKED = 1 << 8;

/** ofp_config_flags (spec 7.3.2) */
export const OFPC_FRAG_NORMAL = 0;
export const OFPC_FRAG_DROP = 1;
export const OFPC_FRAG_REASM = 2;

/** ofp_flow_mod_command (spec 7.3.4.1) */
export const FLOW_MOD_COMMANDS = ['add', 'modify', 'modify_strict', 'delete', 'delete_strict'] as const;
/** ofp_flow_mod_flags (spec 7.3.4.1) */
export const OFPFF_SEND_FLOW_REM = 1 << 0;
export const OFPFF_CHECK_OVERLAP = 1 << 1;
export const OFPFF_RESET_COUNTS = 1 << 2;
export const OFPFF_NO_PKT_COUNTS = 1 << 3;
export const OFPFF_NO_BYT_COUNTS = 1 << 4;
/** ofp_flow_mod fixed part after the header, before the match (spec 7.3.4.1) */
export const OFP_FLOW_MOD_FIXED_LEN = 40;

/** ofp_group_mod_command, ofp_group_type (spec 7.3.4.2) */
export const GROUP_MOD_COMMANDS = ['add', 'modify', 'delete'] as const;
export const GROUP_TYPES = ['all', 'select', 'indirect', 'ff'] as const;
/** ofp_group_mod fixed part after the header; ofp_bucket fixed part (spec 7.3.4.2) */
export const OFP_GROUP_MOD_FIXED_LEN = 8;
export const OFP_BUCKET_FIXED_LEN = 16;

/** ofp_meter_mod_command, flags, band types (spec 7.3.4.4) */
export const METER_MOD_COMMANDS = ['add', 'modify', 'delete'] as const;
export const OFPMF_KBPS = 1 << 0;
export const OFPMF_PKTPS = 1 << 1;
export const OFPMF_BURST = 1 << 2;
export const OFPMF_STATS = 1 << 3;
export const OFPMBT_DROP = 1;
export const OFPMBT_DSCP_REMARK = 2;
export const OFPMBT_EXPERIMENTER = 0xffff;
export const OFP_METER_MOD_FIXED_LEN = 8;
/** every meter band is 16 bytes: type, len, rate, burst_size, then 4 type-specific bytes (spec 7.3.4.4) */
export const OFP_METER_BAND_LEN = 16;

/** ofp_packet_in_reason (spec 7.4.1) */
export const OFPR_NO_MATCH = 0;
export const OFPR_ACTION = 1;
export const OFPR_INVALID_TTL = 2;
/** ofp_packet_in: buffer_id, total_len, reason, table_id, cookie (spec 7.4.1) */
export const OFP_PACKET_IN_FIXED_LEN = 16;
/** the 2 bytes of padding between the match and the packet data (spec 7.4.1) */
export const OFP_PACKET_IN_DATA_PAD = 2;

/** ofp_packet_out fixed part after the header: buffer_id, in_port, actions_len, pad(6) (spec 7.3.7) */
export const OFP_PACKET_OUT_FIXED_LEN = 16;

/** ofp_flow_removed_reason (spec 7.4.2) */
export const OFPRR_IDLE_TIMEOUT = 0;
export const OFPRR_HARD_TIMEOUT = 1;
export const OFPRR_DELETE = 2;
export const OFPRR_GROUP_DELETE = 3;
export const OFPRR_METER_DELETE = 4;
/** ofp_flow_removed fixed part before the match (spec 7.4.2) */
export const OFP_FLOW_REMOVED_FIXED_LEN = 40;

/** ofp_port_reason (spec 7.4.3) */
export const PORT_STATUS_REASONS = ['add', 'delete', 'modify'] as const;
/** struct ofp_port is 64 bytes; ofp_port_status pads the reason by 7 (spec 7.2.1, 7.4.3) */
export const OFP_PORT_LEN = 64;
export const OFP_MAX_PORT_NAME_LEN = 16;
export const OFP_PORT_STATUS_PAD = 7;
/** ofp_port_config / ofp_port_state bits (spec 7.2.1) */
export const OFPPC_PORT_DOWN = 1 << 0;
export const OFPPC_NO_RECV = 1 << 2;
export const OFPPC_NO_FWD = 1 << 5;
export const OFPPC_NO_PACKET_IN = 1 << 6;
export const OFPPS_LINK_DOWN = 1 << 0;
export const OFPPS_BLOCKED = 1 << 1;
export const OFPPS_LIVE = 1 << 2;

/** ofp_controller_role (spec 7.3.9) */
export const CONTROLLER_ROLES = ['nochange', 'equal', 'master', 'slave'] as const;
export const OFP_ROLE_BODY_LEN = 16;

/** ofp_multipart_type (spec 7.3.5) */
export const OFPMP_DESC = 0;
export const OFPMP_FLOW = 1;
export const OFPMP_AGGREGATE = 2;
export const OFPMP_TABLE = 3;
export const OFPMP_PORT_STATS = 4;
export const OFPMP_QUEUE = 5;
export const OFPMP_GROUP = 6;
export const OFPMP_GROUP_DESC = 7;
export const OFPMP_GROUP_FEATURES = 8;
export const OFPMP_METER = 9;
export const OFPMP_METER_CONFIG = 10;
export const OFPMP_METER_FEATURES = 11;
export const OFPMP_TABLE_FEATURES = 12;
export const OFPMP_PORT_DESC = 13;
export const OFPMP_EXPERIMENTER = 0xffff;
/** ofp_multipart_request/reply: type(2) flags(2) pad(4) after the header (spec 7.3.5) */
export const OFP_MULTIPART_FIXED_LEN = 8;
export const OFPMPF_REQ_MORE = 1;
export const OFPMPF_REPLY_MORE = 1;
/** ofp_desc strings (spec 7.3.5.1) */
export const DESC_STR_LEN = 256;
export const SERIAL_NUM_LEN = 32;
/** ofp_flow_stats_request fixed part before its match (spec 7.3.5.2) */
export const OFP_FLOW_STATS_REQUEST_FIXED_LEN = 32;
/** ofp_flow_stats fixed part before its match (spec 7.3.5.2) */
export const OFP_FLOW_STATS_FIXED_LEN = 48;
/** ofp_aggregate_stats_reply (spec 7.3.5.3) */
export const OFP_AGGREGATE_STATS_REPLY_LEN = 24;
/** ofp_table_stats (spec 7.3.5.4) */
export const OFP_TABLE_STATS_LEN = 24;
/** ofp_port_stats_request, ofp_port_stats (spec 7.3.5.6) */
export const OFP_PORT_STATS_REQUEST_LEN = 8;
export const OFP_PORT_STATS_LEN = 112;
/** ofp_group_desc fixed part (spec 7.3.5.8) */
export const OFP_GROUP_DESC_FIXED_LEN = 8;
/** ofp_meter_multipart_request, ofp_meter_config fixed part (spec 7.3.5.12, 7.3.5.13) */
export const OFP_METER_MULTIPART_REQUEST_LEN = 8;
export const OFP_METER_CONFIG_FIXED_LEN = 8;

/** ofp_experimenter_header body: experimenter, exp_type (spec 7.5.4) */
export const OFP_EXPERIMENTER_FIXED_LEN = 8;

/** ONF bundle extension in OpenFlow 1.3 (ONF EXT-230, OVS openflow-1.4.h / ofp-msgs.h) */
export const ONFT_BUNDLE_CONTROL = 2300;
export const ONFT_BUNDLE_ADD_MESSAGE = 2301;
export const BUNDLE_CTRL_TYPES = [
  'open_request', 'open_reply', 'close_request', 'close_reply',
  'commit_request', 'commit_reply', 'discard_request', 'discard_reply',
] as const;
export const OFPBF_ATOMIC = 1 << 0;
export const OFPBF_ORDERED = 1 << 1;
/** bundle_id(4) type(2) flags(2) */
export const BUNDLE_CTRL_FIXED_LEN = 8;
/** bundle_id(4) pad(2) flags(2), then the inner message */
export const BUNDLE_ADD_FIXED_LEN = 8;

/** ofp_async_config body: three pairs of u32 masks (spec 7.3.10) */
export const OFP_ASYNC_CONFIG_BODY_LEN = 24;

/** Nicira messages in OFPT_EXPERIMENTER (nicira-ext.h enum nicira_type, exp_type = subtype) */
export const NXT_SET_PACKET_IN_FORMAT = 16;
export const NXT_RESUME = 28;
export const NXT_PACKET_IN2 = 30;
export const PACKET_IN_FORMATS = ['standard', 'nxt_packet_in', 'nxt_packet_in2'] as const;
/** NXT_PACKET_IN2 / NXT_RESUME property types (nicira-ext.h enum nx_packet_in2_prop_type) */
export const NXPINT_PACKET = 0;
export const NXPINT_FULL_LEN = 1;
export const NXPINT_BUFFER_ID = 2;
export const NXPINT_TABLE_ID = 3;
export const NXPINT_COOKIE = 4;
export const NXPINT_REASON = 5;
export const NXPINT_METADATA = 6;
export const NXPINT_USERDATA = 7;
export const NXPINT_CONTINUATION = 8;

/** ofp_error_msg: type(2) code(2); experimenter form: type, exp_code, experimenter (spec 7.4.4) */
export const OFP_ERROR_FIXED_LEN = 4;
export const OFP_ERROR_EXPERIMENTER_FIXED_LEN = 8;
