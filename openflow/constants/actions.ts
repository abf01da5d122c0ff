// Action and instruction type numbers: OpenFlow 1.3.5 sections 7.2.4 and 7.2.5, Nicira NXAST_* from OVS nicira-ext.h / ofp-actions.c.

// enum ofp_action_type (spec 7.2.5)
export const OFPAT_OUTPUT = 0;
export const OFPAT_COPY_TTL_OUT = 11;
export const OFPAT_COPY_TTL_IN = 12;
export const OFPAT_SET_MPLS_TTL = 15;
export const OFPAT_DEC_MPLS_TTL = 16;
export const OFPAT_PUSH_VLAN = 17;
export const OFPAT_POP_VLAN = 18;
export const OFPAT_PUSH_MPLS = 19;
export const OFPAT_POP_MPLS = 20;
export const OFPAT_SET_QUEUE = 21;
export const OFPAT_GROUP = 22;
export const OFPAT_SET_NW_TTL = 23;
export const OFPAT_DEC_NW_TTL = 24;
export const OFPAT_SET_FIELD = 25;
export const OFPAT_PUSH_PBB = 26;
export const OFPAT_POP_PBB = 27;
export const OFPAT_EXPERIMENTER = 0xffff;

/** ofp_action_header: type(2) len(2) (spec 7.2.5); the shortest action is 8 bytes. */
export const OFP_ACTION_HEADER_LEN = 4;
export const OFP_ACTION_MIN_LEN = 8;
/** ofp_action_output is 16 bytes (spec 7.2.5). */
export const OFP_ACTION_OUTPUT_LEN = 16;
/** ofp_action_experimenter_header: type, len, experimenter (spec 7.2.5). */
export const OFP_ACTION_EXPERIMENTER_HEADER_LEN = 8;

/** max_len value asking the switch to send the whole packet, unbuffered (OFPCML_NO_BUFFER, spec 7.2.5). */
export const OFPCML_NO_BUFFER = 0xffff;

// Nicira action subtypes (OVS include/openflow/nicira-ext.h, lib/ofp-actions.c)
export const NXAST_RESUBMIT = 1;
export const NXAST_REG_MOVE = 6;
export const NXAST_REG_LOAD = 7;
export const NXAST_NOTE = 8;
export const NXAST_RESUBMIT_TABLE = 14;
export const NXAST_OUTPUT_REG = 15;
export const NXAST_LEARN = 16;
export const NXAST_EXIT = 17;
export const NXAST_DEC_TTL = 18;
export const NXAST_CONTROLLER = 20;
export const NXAST_DEC_TTL_CNT_IDS = 21;
export const NXAST_OUTPUT_REG2 = 32;
export const NXAST_REG_LOAD2 = 33;
export const NXAST_CONJUNCTION = 34;
export const NXAST_CT = 35;
export const NXAST_NAT = 36;
export const NXAST_CONTROLLER2 = 37;
export const NXAST_CT_CLEAR = 43;
export const NXAST_RESUBMIT_TABLE_CT = 44;

/** nx_action_header: type(2) len(2) vendor(4) subtype(2) = 10 bytes before the body. */
export const NX_ACTION_HEADER_LEN = 10;

/** nx_action_conntrack flags (nicira-ext.h) */
export const NX_CT_F_COMMIT = 1 << 0;
export const NX_CT_F_FORCE = 1 << 1;
/** recirc_table value meaning "do not recirculate" */
export const NX_CT_RECIRC_NONE = 0xff;
/** nx_action_conntrack is 24 bytes before its nested actions */
export const NX_ACTION_CT_LEN = 24;

/** nx_action_nat flags and range_present bits (nicira-ext.h) */
export const NX_NAT_F_SRC = 1 << 0;
export const NX_NAT_F_DST = 1 << 1;
export const NX_NAT_F_PERSISTENT = 1 << 2;
export const NX_NAT_F_PROTO_HASH = 1 << 3;
export const NX_NAT_F_PROTO_RANDOM = 1 << 4;
export const NX_NAT_RANGE_IPV4_MIN = 1 << 0;
export const NX_NAT_RANGE_IPV4_MAX = 1 << 1;
export const NX_NAT_RANGE_IPV6_MIN = 1 << 2;
export const NX_NAT_RANGE_IPV6_MAX = 1 << 3;
export const NX_NAT_RANGE_PROTO_MIN = 1 << 4;
export const NX_NAT_RANGE_PROTO_MAX = 1 << 5;
/** nx_action_nat: header(10) pad(2) flags(2) range_present(2) = 16 before the ranges */
export const NX_ACTION_NAT_LEN = 16;

/** NXAST_CONTROLLER2 property types (nicira-ext.h enum nx_action_controller2_prop_type) */
export const NXAC2PT_MAX_LEN = 0;
export const NXAC2PT_CONTROLLER_ID = 1;
export const NXAC2PT_REASON = 2;
export const NXAC2PT_USERDATA = 3;
export const NXAC2PT_PAUSE = 4;
export const NXAC2PT_METER_ID = 5;
/** nx_action_controller2: header(10) zeros(6), then properties */
export const NX_ACTION_CONTROLLER2_LEN = 16;
/** ofp_prop_header: type(2) length(2) */
export const OFP_PROP_HEADER_LEN = 4;

/** NXAST_LEARN spec header bits (nicira-ext.h) */
export const NX_LEARN_N_BITS_MASK = 0x3ff;
export const NX_LEARN_SRC_IMMEDIATE = 1 << 13;
export const NX_LEARN_DST_MASK = 3 << 11;
export const NX_LEARN_DST_MATCH = 0 << 11;
export const NX_LEARN_DST_LOAD = 1 << 11;
export const NX_LEARN_DST_OUTPUT = 2 << 11;
/** nx_action_learn is 32 bytes before its specs */
export const NX_ACTION_LEARN_LEN = 32;

// enum ofp_instruction_type (spec 7.2.4)
export const OFPIT_GOTO_TABLE = 1;
export const OFPIT_WRITE_METADATA = 2;
export const OFPIT_WRITE_ACTIONS = 3;
export const OFPIT_APPLY_ACTIONS = 4;
export const OFPIT_CLEAR_ACTIONS = 5;
export const OFPIT_METER = 6;
export const OFPIT_EXPERIMENTER = 0xffff;
/** ofp_instruction_actions header: type, len, pad(4) (spec 7.2.4) */
export const OFP_INSTRUCTION_ACTIONS_LEN = 8;
export const OFP_INSTRUCTION_GOTO_TABLE_LEN = 8;
export const OFP_INSTRUCTION_WRITE_METADATA_LEN = 24;
export const OFP_INSTRUCTION_METER_LEN = 8;
export const OFP_INSTRUCTION_EXPERIMENTER_HEADER_LEN = 8;
