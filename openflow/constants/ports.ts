// Reserved port, group, table, buffer and meter numbers (OpenFlow 1.3.5 sections 7.2.1, 7.3.4, A.3.4.1).

/** enum ofp_port_no (spec 7.2.1) */
export const OFPP_MAX = 0xffffff00;
export const OFPP_IN_PORT = 0xfffffff8;
export const OFPP_TABLE = 0xfffffff9;
export const OFPP_NORMAL = 0xfffffffa;
export const OFPP_FLOOD = 0xfffffffb;
export const OFPP_ALL = 0xfffffffc;
export const OFPP_CONTROLLER = 0xfffffffd;
export const OFPP_LOCAL = 0xfffffffe;
export const OFPP_ANY = 0xffffffff;

/** The 16-bit OpenFlow 1.0 forms OVS uses in NXAST_RESUBMIT and learn (ofp10 ofp_port) */
export const OFPP10_IN_PORT = 0xfff8;
export const OFPP10_MAX = 0xff00;

/** Reserved port names as ovs-ofctl prints them. */
export const RESERVED_PORT_NAMES: Readonly<Record<number, string>> = {
  [OFPP_IN_PORT]: 'IN_PORT',
  [OFPP_TABLE]: 'TABLE',
  [OFPP_NORMAL]: 'NORMAL',
  [OFPP_FLOOD]: 'FLOOD',
  [OFPP_ALL]: 'ALL',
  [OFPP_CONTROLLER]: 'CONTROLLER',
  [OFPP_LOCAL]: 'LOCAL',
  [OFPP_ANY]: 'ANY',
};

/** enum ofp_group (spec 7.3.4.2) */
export const OFPG_MAX = 0xffffff00;
export const OFPG_ALL = 0xfffffffc;
export const OFPG_ANY = 0xffffffff;

/** enum ofp_table (spec 7.3.4.1) */
export const OFPTT_MAX = 0xfe;
export const OFPTT_ALL = 0xff;

/** OFP_NO_BUFFER (spec 7.3.4.1) */
export const OFP_NO_BUFFER = 0xffffffff;

/** enum ofp_meter (spec 7.3.4.4) */
export const OFPM_MAX = 0xffff0000;
export const OFPM_SLOWPATH = 0xfffffffd;
export const OFPM_CONTROLLER = 0xfffffffe;
export const OFPM_ALL = 0xffffffff;
