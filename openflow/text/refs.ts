// Resolves field names written in flow text (NXM_OF_ETH_SRC, OXM_OF_METADATA, eth_src, reg0, ...) and `FIELD[a..b]` slices.
import { OFPXMC_OPENFLOW_BASIC, OXM_FIELDS } from '../constants/oxm.ts';
import type { FieldSlice, OxmFieldName } from '../messages/types.ts';
import { FIELD_TEXT, fieldBits } from './fields.ts';
import { TextError } from './values.ts';

const BY_NAME = new Map<string, OxmFieldName>();
for (const f of OXM_FIELDS) {
  BY_NAME.set(f.nxmName.toLowerCase(), f.name);
  BY_NAME.set(f.name, f.name);
  BY_NAME.set(FIELD_TEXT[f.name].set, f.name);
  if (f.oxmClass === OFPXMC_OPENFLOW_BASIC) BY_NAME.set(`oxm_of_${f.name}`, f.name);
}
for (let i = 0; i < 8; i++) BY_NAME.set(`nxm_nx_xreg${i}`, `xreg${i}` as OxmFieldName);
const EXTRA: [string, OxmFieldName][] = [
  ['nxm_of_in_port', 'in_port'], ['oxm_of_in_port', 'in_port'], ['nxm_nx_tun_id', 'tunnel_id'], ['tun_id', 'tunnel_id'],
  ['dl_src', 'eth_src'], ['dl_dst', 'eth_dst'], ['dl_type', 'eth_type'], ['nw_src', 'ipv4_src'], ['nw_dst', 'ipv4_dst'],
  ['ip_src', 'ipv4_src'], ['ip_dst', 'ipv4_dst'], ['nw_proto', 'ip_proto'], ['tun_src', 'tun_ipv4_src'], ['tun_dst', 'tun_ipv4_dst'],
  ['nxm_nx_tun_ipv4_src', 'tun_ipv4_src'], ['nxm_nx_tun_ipv4_dst', 'tun_ipv4_dst'], ['nw_ecn', 'ip_ecn'],
  ['ipv6_label', 'ipv6_flabel'], ['nd_target', 'ipv6_nd_target'], ['nd_sll', 'ipv6_nd_sll'], ['nd_tll', 'ipv6_nd_tll'],
];
for (const [n, f] of EXTRA) BY_NAME.set(n, f);

export function lookupFieldName(name: string): OxmFieldName | undefined {
  return BY_NAME.get(name.toLowerCase());
}

const SLICE_RE = /^([A-Za-z_][A-Za-z0-9_]*)(?:\[(?:(\d+)(?:\.\.(\d+))?)?\])?$/;

/** `FIELD`, `FIELD[]`, `FIELD[n]` or `FIELD[a..b]` */
export function parseSlice(text: string): FieldSlice {
  const m = SLICE_RE.exec(text.trim());
  if (m === null) throw new TextError(`bad field reference '${text}'`);
  const field = lookupFieldName(m[1]);
  if (field === undefined) throw new TextError(`unknown field '${m[1]}'`);
  const width = fieldBits(field);
  if (m[2] === undefined) return { field, ofs: 0, nBits: width };
  const start = Number(m[2]);
  const end = m[3] === undefined ? start : Number(m[3]);
  if (end < start || end >= width) throw new TextError(`bad bit range in '${text}'`);
  return { field, ofs: start, nBits: end - start + 1 };
}
