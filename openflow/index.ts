// Public surface of the OpenFlow 1.3 library: message types, codec entry points, framer and flow text.
export type * from './messages/types.ts';
export { encodeMessage, encodeMessages, encodeInto, decodeMessage, encodingLength } from './messages/codec.ts';
export { Writer } from './wire/writer.ts';
export { Framer } from './framer.ts';
export type { FramerOptions } from './framer.ts';
export { formatFlowMod, formatFlowStats } from './text/format.ts';
export { parseFlow } from './text/parse.ts';
export { EncodeError } from './wire/errors.ts';
export { normalizeMatch, matchKey } from './oxm/normalize.ts';
export * from './constants/ports.ts';
export { OFPCML_NO_BUFFER, NX_CT_F_COMMIT, NX_CT_F_FORCE, NX_CT_RECIRC_NONE } from './constants/actions.ts';
export { OFPVID_PRESENT, OFPVID_NONE, NX_VENDOR_ID, ONF_VENDOR_ID, OXM_FIELDS } from './constants/oxm.ts';
export {
  OFP_VERSION_13, OFPFF_SEND_FLOW_REM, OFPFF_CHECK_OVERLAP, OFPFF_RESET_COUNTS, OFPFF_NO_PKT_COUNTS, OFPFF_NO_BYT_COUNTS,
  OFPMPF_REQ_MORE, OFPMPF_REPLY_MORE, OFPR_NO_MATCH, OFPR_ACTION, OFPR_INVALID_TTL, OFPRR_IDLE_TIMEOUT, OFPRR_HARD_TIMEOUT,
  OFPRR_DELETE, OFPRR_GROUP_DELETE, OFPC_FRAG_NORMAL, OFPPC_PORT_DOWN, OFPPS_LINK_DOWN, OFPPS_LIVE, OFPMF_KBPS, OFPMF_PKTPS,
  OFPMF_BURST, OFPMF_STATS,
} from './constants/messages.ts';
export { errorNames } from './constants/errors.ts';
