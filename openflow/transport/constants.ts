// Wire numbers the connection layer needs (OpenFlow 1.3.5 spec sections cited) and its default timings.

/** OFP_VERSION for OpenFlow 1.3 (spec 7.1). */
export const OFP13_VERSION = 4;
/** ofp_header: version u8, type u8, length u16, xid u32 (spec 7.1). */
export const OFP_HEADER_LEN = 8;
export const HEADER_TYPE_OFFSET = 1;
export const HEADER_XID_OFFSET = 4;
/** ofp_type numbers the layer looks at before decoding (spec 7.1). */
export const OFPT_HELLO = 0;
export const OFPT_ERROR = 1;

/** OFPET_HELLO_FAILED and its codes (spec 7.4.4.1). */
export const OFPET_HELLO_FAILED = 0;
export const OFPHFC_INCOMPATIBLE = 0;
/** OFPET_BAD_REQUEST and the codes we send for frames we cannot take (spec 7.4.4.2). */
export const OFPET_BAD_REQUEST = 1;
export const OFPBRC_BAD_VERSION = 0;
export const OFPBRC_BAD_TYPE = 1;
export const OFPBRC_BAD_LEN = 6;
/** The spec asks for at least 64 bytes of the failed request in ERROR data (spec 7.4.4). */
export const ERROR_DATA_BYTES = 64;

/** Multipart flag: more replies with this xid follow (spec 7.3.5). */
export const OFPMPF_REPLY_MORE = 1;

/** xids are u32; 0 is left to switches, which use it for asynchronous messages. */
export const XID_MAX = 0xffff_ffff;

/** Defaults. Echo follows OVS's own controller probe (inactivity_probe 5 s, then 5 s to answer). */
export const DEFAULT_ECHO_INTERVAL_MS = 5_000;
export const DEFAULT_ECHO_TIMEOUT_MS = 5_000;
export const DEFAULT_HANDSHAKE_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Encoded bytes a connection may hold for a peer that does not read before send() rejects. */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Wire bytes of one reassembled multipart reply: ~1M flows of a full esdn table, far past any real one. */
export const DEFAULT_MAX_REPLY_BYTES = 256 * 1024 * 1024;
/** How long close() waits for the peer to acknowledge our FIN before destroying the socket. */
export const CLOSE_GRACE_MS = 2_000;
