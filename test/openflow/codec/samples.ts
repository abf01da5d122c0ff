// Hand-built sample messages with the text `ovs-ofctl ofp-print` must show for each (field by field).
import type { FlowMod, OfpMessage, PortDesc } from '../../../openflow/index.ts';

const ANY = 0xffffffff;
const NO_BUFFER = 0xffffffff;

/** An ARP request from fa:16:3e:00:00:01 (10.0.0.5) for 10.0.0.21, 42 bytes. */
export const ARP_REQUEST = Buffer.from(
  'ffffffffffff' + 'fa163e000001' + '0806' + '0001080006040001' + 'fa163e000001' + '0a000005' + '000000000000' + '0a000015',
  'hex',
);

export const PORT: PortDesc = {
  portNo: 7, hwAddr: 'fa:16:3e:aa:bb:cc', name: 'tap1234567890a', config: 0, state: 4 /* LIVE */,
  curr: 0x840 /* 10GB_FD, COPPER */, advertised: 0, supported: 0, peer: 0, currSpeed: 10_000_000, maxSpeed: 0,
};

export const OVERLAY_FLOW_MOD: FlowMod = {
  type: 'flow_mod', xid: 0x11, cookie: 0xe5d0000000000001n, cookieMask: 0n, tableId: 10, command: 'add', idleTimeout: 0,
  hardTimeout: 0, priority: 100, bufferId: NO_BUFFER, outPort: ANY, outGroup: ANY, flags: 1,
  match: [
    { field: 'in_port', value: 3 },
    { field: 'eth_type', value: 0x0800 },
    { field: 'ipv4_src', value: '10.0.0.0', mask: '255.255.255.0' },
    { field: 'tunnel_id', value: 0x1234n },
    { field: 'tun_ipv4_src', value: '192.0.2.11' },
    { field: 'reg6', value: 5 },
  ],
  instructions: [
    {
      type: 'apply_actions',
      actions: [
        { type: 'set_field', field: { field: 'eth_dst', value: 'fa:16:3e:00:00:02' } },
        { type: 'set_field', field: { field: 'tunnel_id', value: 0x55n } },
        { type: 'set_field', field: { field: 'tun_ipv4_dst', value: '192.0.2.12' } },
        { type: 'dec_nw_ttl' },
        { type: 'output', port: 1, maxLen: 0 },
      ],
    },
    { type: 'goto_table', tableId: 20 },
  ],
};

export interface Sample {
  name: string;
  msg: OfpMessage;
  /** substrings (in order) ofp-print must show */
  expect: string[];
}

export const SAMPLES: Sample[] = [
  { name: 'hello', msg: { type: 'hello', xid: 1, version: 4, versions: [1, 4] }, expect: ['OFPT_HELLO (OF1.3) (xid=0x1)', 'version bitmap: 0x01, 0x04'] },
  { name: 'echo_request', msg: { type: 'echo_request', xid: 5, data: Buffer.from('abc') }, expect: ['OFPT_ECHO_REQUEST (OF1.3) (xid=0x5): 3 bytes of payload'] },
  { name: 'features_request', msg: { type: 'features_request', xid: 2 }, expect: ['OFPT_FEATURES_REQUEST (OF1.3) (xid=0x2)'] },
  {
    name: 'features_reply',
    msg: { type: 'features_reply', xid: 2, datapathId: 0xa1n, nBuffers: 0, nTables: 254, auxiliaryId: 0, capabilities: 0x4f },
    expect: ['OFPT_FEATURES_REPLY (OF1.3) (xid=0x2): dpid:00000000000000a1', 'n_tables:254, n_buffers:0', 'capabilities: FLOW_STATS TABLE_STATS PORT_STATS GROUP_STATS QUEUE_STATS'],
  },
  { name: 'set_config', msg: { type: 'set_config', xid: 3, flags: 0, missSendLen: 0xffff }, expect: ['OFPT_SET_CONFIG (OF1.3) (xid=0x3): frags=normal miss_send_len=65535'] },
  { name: 'barrier_request', msg: { type: 'barrier_request', xid: 9 }, expect: ['OFPT_BARRIER_REQUEST (OF1.3) (xid=0x9)'] },
  { name: 'role_request', msg: { type: 'role_request', xid: 4, role: 'master', generationId: 7n }, expect: ['OFPT_ROLE_REQUEST (OF1.3) (xid=0x4): role=primary generation_id=7'] },
  {
    name: 'error',
    msg: { type: 'error', xid: 0x11, version: 4, errType: 4, errCode: 9, typeName: 'OFPET_BAD_MATCH', codeName: 'OFPBMC_BAD_PREREQ', data: Buffer.from('0414000800000011', 'hex') },
    expect: ['OFPT_ERROR (OF1.3) (xid=0x11): OFPBMC_BAD_PREREQ'],
  },
  {
    name: 'bundle error (ONF experimenter)',
    msg: { type: 'error', xid: 0x12, version: 4, errType: 0xffff, errCode: 2309, experimenter: 0x4f4e4600, typeName: 'OFPET_EXPERIMENTER', codeName: 'OFPBFC_MSG_BAD_XID', data: Buffer.from('0414000800000001', 'hex') },
    expect: ['OFPT_ERROR (OF1.3) (xid=0x12): OFPBFC_MSG_BAD_XID'],
  },
  {
    name: 'packet_out',
    msg: { type: 'packet_out', xid: 6, bufferId: NO_BUFFER, inPort: 0xfffffffd, actions: [{ type: 'output', port: 3, maxLen: 0 }], data: ARP_REQUEST },
    expect: ['OFPT_PACKET_OUT (OF1.3) (xid=0x6): in_port=CONTROLLER actions=output:3 data_len=42', 'arp,vlan_tci=0x0000,dl_src=fa:16:3e:00:00:01,dl_dst=ff:ff:ff:ff:ff:ff,arp_spa=10.0.0.5,arp_tpa=10.0.0.21,arp_op=1'],
  },
  {
    name: 'packet_in',
    msg: {
      type: 'packet_in', xid: 0, bufferId: NO_BUFFER, totalLen: 42, reason: 1, tableId: 30, cookie: 0x99n,
      match: [{ field: 'in_port', value: 3 }, { field: 'reg6', value: 0x20 }], data: ARP_REQUEST,
    },
    expect: ['OFPT_PACKET_IN (OF1.3) (xid=0x0): table_id=30 cookie=0x99 total_len=42 reg6=0x20,in_port=3 (via action) data_len=42', 'arp,vlan_tci=0x0000'],
  },
  {
    name: 'port_status',
    msg: { type: 'port_status', xid: 0, reason: 'add', desc: PORT },
    expect: ['OFPT_PORT_STATUS (OF1.3) (xid=0x0): ADD: 7(tap1234567890a): addr:fa:16:3e:aa:bb:cc', 'state:      LIVE', 'current:    10GB-FD COPPER', 'speed: 10000 Mbps now'],
  },
  {
    name: 'flow_removed',
    msg: {
      type: 'flow_removed', xid: 0, cookie: 0x5n, priority: 100, reason: 2, tableId: 10, durationSec: 3, durationNsec: 500000000,
      idleTimeout: 0, hardTimeout: 0, packetCount: 12n, byteCount: 1200n, match: [{ field: 'in_port', value: 3 }],
    },
    expect: ['OFPT_FLOW_REMOVED (OF1.3) (xid=0x0): priority=100,in_port=3 reason=delete table_id=10 cookie:0x5 duration3.500s', 'pkts12 bytes1200'],
  },
  {
    name: 'overlay flow_mod',
    msg: OVERLAY_FLOW_MOD,
    expect: [
      'OFPT_FLOW_MOD (OF1.3) (xid=0x11): ADD table:10 priority=100,ip,reg6=0x5,tun_id=0x1234,tun_src=192.0.2.11,in_port=3,nw_src=10.0.0.0/24',
      'cookie:0xe5d0000000000001 send_flow_rem',
      'actions=set_field:fa:16:3e:00:00:02->eth_dst,set_field:0x55->tun_id,set_field:192.0.2.12->tun_dst,dec_ttl,output:1,goto_table:20',
    ],
  },
  {
    name: 'flow_mod delete_strict by cookie',
    msg: { ...OVERLAY_FLOW_MOD, command: 'delete_strict', cookieMask: (1n << 64n) - 1n, outPort: ANY, instructions: [] },
    expect: ['DEL_STRICT table:10', 'cookie:0xe5d0000000000001/0xffffffffffffffff'],
  },
  {
    name: 'ct + nat + learn + conjunction-free nicira actions',
    msg: {
      ...OVERLAY_FLOW_MOD,
      match: [{ field: 'eth_type', value: 0x0800 }, { field: 'ct_state', value: 0x21, mask: 0x21 }, { field: 'ct_zone', value: 5 }],
      instructions: [
        {
          type: 'apply_actions',
          actions: [
            {
              type: 'ct', commit: true, force: false, zone: { imm: 5 }, recircTable: 0xff, alg: 0,
              actions: [
                { type: 'nat', kind: 'dst', persistent: false, hash: false, random: false, ipv4Min: '10.0.0.5' },
                { type: 'set_field', field: { field: 'ct_mark', value: 0x1, mask: 0x1 } },
              ],
            },
            { type: 'ct', commit: false, force: false, zone: { src: { field: 'reg6', ofs: 0, nBits: 16 } }, recircTable: 20, alg: 0, actions: [{ type: 'nat', kind: null, persistent: false, hash: false, random: false }] },
            { type: 'reg_move', src: { field: 'eth_src', ofs: 0, nBits: 48 }, dst: { field: 'eth_dst', ofs: 0, nBits: 48 } },
            { type: 'reg_load', dst: { field: 'reg0', ofs: 0, nBits: 16 }, value: 0xbeefn },
            { type: 'resubmit', port: 0xfffffff8, table: 30, ct: false },
            { type: 'controller2', maxLen: 0xffff, reason: 1, userdata: Buffer.from([1, 2, 3]), pause: false },
          ],
        },
      ],
    },
    expect: [
      'ct_state=+new+trk,ct_zone=5,ip',
      'actions=ct(commit,zone=5,nat(dst=10.0.0.5),exec(set_field:0x1/0x1->ct_mark)),ct(table=20,zone=NXM_NX_REG6[0..15],nat),move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],load:0xbeef->NXM_NX_REG0[0..15],resubmit(,30),controller(userdata=01.02.03)',
    ],
  },
  {
    name: 'conjunction',
    msg: { ...OVERLAY_FLOW_MOD, match: [{ field: 'eth_type', value: 0x0800 }], instructions: [{ type: 'apply_actions', actions: [{ type: 'conjunction', id: 10, clause: 0, nClauses: 2 }] }] },
    expect: ['actions=conjunction(10,1/2)'],
  },
  {
    name: 'group_mod select',
    msg: {
      type: 'group_mod', xid: 7, command: 'add', groupType: 'select', groupId: 5,
      buckets: [
        { weight: 10, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'output', port: 1, maxLen: 0 }] },
        { weight: 20, watchPort: ANY, watchGroup: ANY, actions: [{ type: 'output', port: 2, maxLen: 0 }] },
      ],
    },
    expect: ['OFPT_GROUP_MOD (OF1.3) (xid=0x7):', 'ADD group_id=5,type=select,bucket=weight:10,actions=output:1,bucket=weight:20,actions=output:2'],
  },
  {
    name: 'meter_mod',
    msg: { type: 'meter_mod', xid: 8, command: 'add', flags: 0x5, meterId: 1, bands: [{ kind: 'drop', rate: 1000, burstSize: 100 }] },
    expect: ['OFPT_METER_MOD (OF1.3) (xid=0x8): ADD meter=1 kbps burst bands=', 'type=drop rate=1000 burst_size=100'],
  },
  {
    name: 'port_desc request',
    msg: { type: 'multipart_request', xid: 12, flags: 0, body: { kind: 'port_desc' } },
    expect: ['OFPST_PORT_DESC request (OF1.3) (xid=0xc): port=ANY'],
  },
  {
    name: 'flow stats request',
    msg: { type: 'multipart_request', xid: 13, flags: 0, body: { kind: 'flow', tableId: 10, outPort: 3, outGroup: ANY, cookie: 0xe5n << 56n, cookieMask: 0xffn << 56n, match: [{ field: 'reg6', value: 5 }] } },
    expect: ['OFPST_FLOW request (OF1.3) (xid=0xd): table=10 out_port=3 reg6=0x5'],
  },
  {
    name: 'port_desc reply',
    msg: { type: 'multipart_reply', xid: 12, flags: 0, body: { kind: 'port_desc', ports: [PORT] } },
    expect: ['OFPST_PORT_DESC reply (OF1.3) (xid=0xc):', '7(tap1234567890a): addr:fa:16:3e:aa:bb:cc'],
  },
  {
    name: 'flow stats reply',
    msg: {
      type: 'multipart_reply', xid: 13, flags: 1, body: {
        kind: 'flow', flows: [{
          tableId: 10, durationSec: 1, durationNsec: 0, priority: 100, idleTimeout: 0, hardTimeout: 0, flags: 0, cookie: 0x5n,
          packetCount: 2n, byteCount: 84n, match: OVERLAY_FLOW_MOD.match, instructions: OVERLAY_FLOW_MOD.instructions,
        }],
      },
    },
    expect: ['OFPST_FLOW reply (OF1.3) (xid=0xd): flags=[more]', 'cookie=0x5, duration=1s, table=10, n_packets=2, n_bytes=84, priority=100,ip,reg6=0x5,tun_id=0x1234,tun_src=192.0.2.11,in_port=3,nw_src=10.0.0.0/24 actions=set_field:fa:16:3e:00:00:02->eth_dst'],
  },
  {
    name: 'desc reply',
    msg: { type: 'multipart_reply', xid: 14, flags: 0, body: { kind: 'desc', mfrDesc: 'Nicira, Inc.', hwDesc: 'Open vSwitch', swDesc: '3.1.0', serialNum: 'None', dpDesc: 'br-int' } },
    expect: ['OFPST_DESC reply (OF1.3) (xid=0xe):', 'Manufacturer: Nicira, Inc.', 'Hardware: Open vSwitch', 'Software: 3.1.0', 'Serial Num: None', 'DP Description: br-int'],
  },
  {
    name: 'set_async',
    msg: { type: 'set_async', xid: 29, packetInMask: [0x3, 0], portStatusMask: [0x7, 0x7], flowRemovedMask: [0xf, 0] },
    expect: ['OFPT_SET_ASYNC (OF1.3) (xid=0x1d):', 'PACKET_IN: no_match action', 'PORT_STATUS: add delete modify', 'FLOW_REMOVED: idle hard delete group_delete'],
  },
  {
    name: 'nx_set_packet_in_format',
    msg: { type: 'nx_set_packet_in_format', xid: 30, format: 'nxt_packet_in2' },
    expect: ['NXT_SET_PACKET_IN_FORMAT (OF1.3) (xid=0x1e): format=nxt_packet_in2'],
  },
  {
    name: 'nx_packet_in2 with userdata and metadata',
    msg: {
      type: 'nx_packet_in2', xid: 31, data: ARP_REQUEST, fullLen: 42, bufferId: NO_BUFFER, tableId: 7, cookie: 0x99n, reason: 1,
      match: [{ field: 'ct_state', value: 6 }, { field: 'in_port', value: 3 }], userdata: Buffer.from([1, 2, 3]),
    },
    expect: ['NXT_PACKET_IN2 (OF1.3) (xid=0x1f): table_id=7 cookie=0x99 total_len=42 ct_state=est|rel,in_port=3 (via action) data_len=42 (unbuffered)', 'userdata=01.02.03', 'arp,vlan_tci=0x0000'],
  },
  {
    name: 'bundle_control open',
    msg: { type: 'bundle_control', xid: 20, bundleId: 1, ctrlType: 'open_request', atomic: true, ordered: false, properties: Buffer.alloc(0) },
    expect: ['ONFT_BUNDLE_CONTROL (OF1.3) (xid=0x14):', 'bundle_id=0x1 type=OPEN_REQUEST flags=atomic'],
  },
  {
    name: 'bundle_add of a flow_mod',
    msg: { type: 'bundle_add', xid: 21, bundleId: 1, atomic: true, ordered: true, message: { ...OVERLAY_FLOW_MOD, xid: 21 }, properties: Buffer.alloc(0) },
    expect: ['ONFT_BUNDLE_ADD_MESSAGE (OF1.3) (xid=0x15):', 'bundle_id=0x1 flags=atomic ordered', 'OFPT_FLOW_MOD (OF1.3) (xid=0x15): ADD table:10 priority=100'],
  },
];
