// The ovs-ofctl commands whose OpenFlow 1.3 bytes become golden vectors: every OXM field, instruction, action, group and meter kind.
// Port numbers only (the capture switch has no ports, and ovs-ofctl runs with --no-names).

export interface Source {
  /** stable id used as the vector's file key */
  id: string;
  /** ovs-ofctl command: add-flow, mod-flows, del-flows, add-group, mod-group, del-groups, add-meter, mod-meter, del-meters, packet-out */
  command: string;
  /** flow / group / meter text as given to ovs-ofctl */
  text: string;
  /** extra ovs-ofctl options, e.g. ['--strict'] or ['--bundle'] */
  options?: string[];
}

const flow = (id: string, text: string, options?: string[]): Source => ({ id, command: 'add-flow', text, ...(options ? { options } : {}) });

/** OpenFlow-basic OXM fields (class 0x8000). */
const BASIC_MATCHES: Source[] = [
  flow('m-in-port-eth-src', 'table=0,priority=100,in_port=1,dl_src=02:00:00:00:01:01 actions=goto_table:10'),
  flow('m-eth-dst-masked', 'priority=10,dl_dst=02:00:00:00:02:01/ff:ff:ff:00:00:00 actions=output:2'),
  flow('m-eth-dst-multicast', 'priority=10,dl_dst=01:00:00:00:00:00/01:00:00:00:00:00 actions=ALL'),
  flow('m-eth-type-arp-drop', 'priority=10,dl_type=0x0806 actions=drop'),
  flow('m-cookie-timeouts-flags', 'cookie=0x1234567890abcdef,table=5,priority=200,idle_timeout=30,hard_timeout=300,send_flow_rem,check_overlap,ip,nw_src=10.0.0.0/8,nw_dst=10.1.2.3 actions=output:3'),
  flow('m-metadata-masked', 'table=1,metadata=0x1234/0xffff actions=goto_table:2'),
  flow('m-metadata-exact', 'table=1,priority=5,metadata=0xfedcba9876543210 actions=goto_table:3'),
  flow('m-vlan-vid', 'dl_vlan=100 actions=pop_vlan,output:1'),
  flow('m-vlan-present', 'vlan_tci=0x1000/0x1000 actions=output:1'),
  flow('m-vlan-none', 'vlan_tci=0 actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:2'),
  flow('m-vlan-pcp', 'dl_vlan=10,dl_vlan_pcp=3 actions=output:1'),
  flow('m-ip-dscp', 'ip,ip_dscp=46 actions=set_queue:1,output:1'),
  flow('m-ip-ecn', 'ip,nw_ecn=1 actions=output:1'),
  flow('m-ip-proto', 'ip,nw_proto=47 actions=output:1'),
  flow('m-ipv4-masks', 'ip,nw_src=192.168.0.0/255.255.0.255,nw_dst=172.16.0.0/12 actions=output:1'),
  flow('m-tcp-ports', 'tcp,tp_src=80,tp_dst=8080 actions=output:1'),
  flow('m-tcp-port-masked', 'tcp,tcp_dst=0x1000/0xf000 actions=output:1'),
  flow('m-udp-ports', 'udp,udp_src=68,udp_dst=67 actions=CONTROLLER:65535'),
  flow('m-sctp-ports', 'sctp,sctp_src=1,sctp_dst=2 actions=output:1'),
  flow('m-icmp', 'icmp,icmp_type=8,icmp_code=0 actions=output:1'),
  flow('m-arp-fields', 'arp,arp_op=1,arp_spa=10.0.0.1,arp_tpa=10.0.0.2,arp_sha=02:00:00:00:01:01,arp_tha=00:00:00:00:00:00 actions=output:1'),
  flow('m-arp-masked', 'arp,arp_spa=10.0.0.0/24,arp_tpa=10.0.0.0/255.255.255.0 actions=output:1'),
  flow('m-ipv6-addrs', 'ipv6,ipv6_src=2001:db8::1,ipv6_dst=2001:db8::/32 actions=output:1'),
  flow('m-ipv6-label', 'ipv6,ipv6_label=0x12345 actions=output:1'),
  flow('m-ipv6-mapped', 'ipv6,ipv6_src=::ffff:192.0.2.1,ipv6_dst=fe80::1:0:0:0:1 actions=output:1'),
  flow('m-nd-sll', 'icmp6,icmpv6_type=135,icmpv6_code=0,nd_target=fe80::1,nd_sll=02:00:00:00:01:01 actions=output:1'),
  flow('m-nd-tll', 'icmp6,icmpv6_type=136,nd_target=2001:db8::2,nd_tll=02:00:00:00:01:02 actions=output:1'),
  flow('m-mpls', 'mpls,mpls_label=100,mpls_tc=3,mpls_bos=1 actions=pop_mpls:0x0800,output:1'),
  flow('m-tun-id', 'in_port=100,tun_id=100 actions=goto_table:20'),
  flow('m-tun-id-masked', 'tun_id=0x64/0xffff actions=output:1'),
  flow('m-tcp-flags', 'tcp,tcp_flags=+syn-ack actions=output:1'),
];

/** Nicira and packet-register fields (classes 0x0001, 0x8001). */
const NICIRA_MATCHES: Source[] = [
  flow('m-reg0-7', 'reg0=0x1,reg1=0x2/0xff,reg2=3,reg3=4,reg4=5,reg5=6,reg6=7,reg7=0xffffffff actions=output:1'),
  flow('m-reg8-15', 'reg8=8,reg9=9,reg10=10,reg11=11,reg12=12,reg13=13,reg14=0x10/0xf0,reg15=15 actions=output:1'),
  flow('m-xreg', 'xreg0=0x1122334455667788,xreg4=0x1/0xff actions=output:1'),
  flow('m-xreg7', 'xreg7=0xffffffffffffffff actions=output:1'),
  flow('m-nw-ttl', 'ip,nw_ttl=64 actions=output:1'),
  flow('m-ip-frag', 'ip,ip_frag=yes actions=output:1'),
  flow('m-ip-frag-later', 'ip,ip_frag=later actions=drop'),
  flow('m-tun-ipv4', 'tun_src=192.168.50.1,tun_dst=192.168.50.2 actions=output:1'),
  flow('m-tun-ipv4-masked', 'tun_src=192.168.50.0/24 actions=output:1'),
  flow('m-tun-ipv6', 'tun_ipv6_src=2001:db8::1,tun_ipv6_dst=2001:db8::2 actions=output:1'),
  flow('m-tun-flags', 'tun_flags=+oam actions=output:1'),
  flow('m-pkt-mark', 'pkt_mark=0x10/0xff actions=output:1'),
  flow('m-dp-hash', 'dp_hash=0x1/0xf actions=output:1'),
  flow('m-recirc-id', 'recirc_id=1 actions=output:1'),
  flow('m-conj-id', 'table=3,priority=10,conj_id=7,ip actions=output:1'),
  flow('m-ct-state-new', 'table=31,priority=100,ct_state=+trk+new,ip,nw_dst=172.16.0.11 actions=output:1'),
  flow('m-ct-state-untracked', 'ct_state=-trk,ip actions=ct(table=1,zone=1)'),
  flow('m-ct-state-many', 'ct_state=+trk+est-rel+rpl-inv,ip actions=output:1'),
  flow('m-ct-zone', 'ct_zone=5,ct_state=+trk,ip actions=output:1'),
  flow('m-ct-mark', 'ct_mark=0x1/0x1,ct_state=+trk,ip actions=output:1'),
  flow('m-ct-label-masked', 'ct_label=0x1/0x1,ct_state=+trk,ip actions=output:1'),
  flow('m-ct-label-wide', 'ct_label=0x0123456789abcdef0123456789abcdef,ct_state=+trk,ip actions=output:1'),
  flow('m-ct-nw-tp', 'ip,ct_state=+trk,ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=6,ct_tp_src=1000,ct_tp_dst=80 actions=output:1'),
  flow('m-ct-ipv6', 'ipv6,ct_state=+trk,ct_ipv6_src=2001:db8::1,ct_ipv6_dst=2001:db8::/64 actions=output:1'),
];

/** Every instruction, and output to every reserved port. */
const INSTRUCTIONS: Source[] = [
  flow('i-goto-table', 'table=0,priority=1 actions=goto_table:254'),
  flow('i-write-metadata', 'table=0,priority=2 actions=write_metadata:0x1/0xff,goto_table:1'),
  flow('i-write-metadata-full', 'table=0,priority=3 actions=write_metadata:0xfedcba9876543210'),
  flow('i-write-actions', 'priority=4 actions=write_actions(output:1,set_field:02:00:00:00:00:01->eth_src)'),
  flow('i-clear-actions', 'priority=5 actions=clear_actions,goto_table:1'),
  flow('i-meter', 'priority=6 actions=meter:1,output:1'),
  flow('i-all', 'priority=7 actions=meter:2,output:3,clear_actions,write_actions(group:1),write_metadata:0x2/0x2,goto_table:9'),
  flow('a-output-reserved', 'priority=8 actions=IN_PORT,LOCAL,ALL,FLOOD,NORMAL'),
  flow('a-output-controller', 'priority=9 actions=CONTROLLER:128'),
  flow('a-output-controller-max', 'priority=9,ip actions=output:CONTROLLER'),
  flow('a-output-high-port', 'priority=9,in_port=65279 actions=output:65000'),
];

/** Every action ovs-ofctl sends in OpenFlow 1.3 that esdn cares about. */
const ACTIONS: Source[] = [
  flow('a-group', 'priority=10 actions=group:1'),
  flow('a-set-field-eth', 'priority=10 actions=set_field:02:00:00:00:ff:01->eth_src,set_field:02:00:00:00:01:01->eth_dst,output:1'),
  flow('a-set-field-ip', 'priority=10,ip actions=set_field:10.0.0.11->ip_dst,set_field:172.16.0.11->ip_src,dec_ttl,output:1'),
  flow('a-set-field-tunnel', 'priority=50,dl_dst=02:00:00:00:02:01 actions=set_field:192.168.50.2->tun_dst,set_field:100->tun_id,output:100'),
  flow('a-set-field-tun-src', 'priority=50 actions=set_field:192.168.50.1->tun_src,output:100'),
  flow('a-set-field-reg', 'priority=10 actions=set_field:0x5->reg0,set_field:0x1122334455667788->xreg1,goto_table:1'),
  flow('a-set-field-masked', 'priority=10 actions=set_field:0x1/0xff->reg1,output:1'),
  flow('a-load', 'priority=10 actions=load:0x1->NXM_NX_REG0[0..7],load:0xffff->NXM_NX_REG2[16..31],output:1'),
  flow('a-set-field-l4', 'priority=10,tcp actions=set_field:8080->tcp_dst,set_field:1234->tcp_src,output:1'),
  flow('a-set-field-arp', 'priority=100,arp,arp_op=1,arp_tpa=10.0.0.21 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],set_field:02:00:00:00:02:01->eth_src,set_field:2->arp_op,move:NXM_NX_ARP_SHA[]->NXM_NX_ARP_THA[],move:NXM_OF_ARP_SPA[]->NXM_OF_ARP_TPA[],set_field:02:00:00:00:02:01->arp_sha,set_field:10.0.0.21->arp_spa,IN_PORT'),
  flow('a-set-field-ipv6', 'priority=10,ipv6 actions=set_field:2001:db8::5->ipv6_dst,output:1'),
  flow('a-set-field-ct-state-free', 'priority=10 actions=set_field:0x10->pkt_mark,output:1'),
  flow('a-push-pop-vlan', 'priority=10 actions=push_vlan:0x8100,set_field:4196->vlan_vid,output:1,pop_vlan,output:2'),
  flow('a-push-pop-mpls', 'priority=10,ip actions=push_mpls:0x8847,set_field:10->mpls_label,set_mpls_ttl:64,dec_mpls_ttl,output:1'),
  flow('a-pop-mpls', 'priority=10,mpls actions=pop_mpls:0x0800,output:1'),
  flow('a-mod-nw-ttl', 'priority=10,ip actions=mod_nw_ttl:10,output:1'),
  flow('a-dec-ttl', 'priority=10,ip actions=dec_ttl,output:1'),
  flow('a-dec-ttl-ids', 'priority=10,ip actions=dec_ttl(1,2,3),output:1'),
  flow('a-set-queue', 'priority=10 actions=set_queue:7,output:1'),
  flow('a-resubmit-port', 'priority=10 actions=resubmit:2'),
  flow('a-resubmit-table', 'priority=10 actions=resubmit(,10)'),
  flow('a-resubmit-in-port-table', 'priority=10 actions=resubmit(IN_PORT,5)'),
  flow('a-resubmit-ct', 'priority=10,ip,ct_state=+est+trk actions=resubmit(,7,ct)'),
  flow('a-move-full', 'priority=10 actions=move:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],IN_PORT'),
  flow('a-move-slices', 'priority=10 actions=move:NXM_NX_REG0[0..15]->NXM_NX_REG1[16..31],move:NXM_NX_TUN_ID[0..31]->NXM_NX_REG2[],output:1'),
  flow('a-move-metadata', 'priority=10 actions=move:OXM_OF_METADATA[0..31]->NXM_NX_REG3[],output:1'),
  flow('a-ct-plain', 'priority=10,ip actions=ct(table=50,zone=2)'),
  flow('a-ct-commit', 'priority=90,ct_state=+trk+new,ip actions=ct(commit,zone=2),goto_table:60'),
  flow('a-ct-nat', 'table=30,priority=50,ip,nw_dst=172.16.0.11 actions=ct(table=31,zone=1,nat)'),
  flow('a-ct-nat-dst', 'table=31,priority=100,ct_state=+trk+new,ip,nw_dst=172.16.0.11 actions=ct(commit,zone=1,nat(dst=10.0.0.11),table=32)'),
  flow('a-ct-nat-src-range', 'priority=100,ct_state=+trk+new,ip actions=ct(commit,zone=1,nat(src=172.16.0.1-172.16.0.10:1000-2000,random))'),
  flow('a-ct-nat-persistent', 'priority=100,ct_state=+trk+new,ip actions=ct(commit,nat(src=172.16.0.1,persistent,hash))'),
  flow('a-ct-nat-ipv6', 'priority=100,ct_state=+trk+new,ipv6 actions=ct(commit,nat(dst=[2001:db8::1]-[2001:db8::5]:80))'),
  flow('a-ct-zone-reg', 'priority=10,ip actions=ct(commit,zone=NXM_NX_REG6[0..15])'),
  flow('a-ct-alg', 'priority=10,tcp,tp_dst=21 actions=ct(alg=ftp,commit)'),
  flow('a-ct-exec-mark', 'priority=10,ip actions=ct(commit,exec(set_field:0x1->ct_mark))'),
  flow('a-ct-exec-label', 'priority=10,ip actions=ct(commit,exec(set_field:0x1/0x1->ct_label,set_field:0x5->ct_mark))'),
  flow('a-ct-force', 'priority=10,ip,ct_state=+trk actions=ct(force,commit,zone=3)'),
  flow('a-ct-clear', 'priority=10,ip actions=ct_clear,output:1'),
  flow('a-controller-userdata', 'priority=10 actions=controller(userdata=01.02.03.04.05,pause)'),
  flow('a-controller-reason', 'priority=10 actions=controller(reason=no_match,id=3,max_len=100)'),
  flow('a-controller-plain', 'priority=10,udp,tp_dst=67 actions=controller'),
  flow('a-controller-meter', 'priority=10 actions=controller(max_len=1000,meter_id=5)'),
  flow('a-note', 'priority=10 actions=note:01.02.03.04.05.06.07,output:1'),
  flow('a-note-long', 'priority=10 actions=note:00.11.22.33.44.55.66.77.88.99.aa.bb.cc.dd.ee.ff.00.11,goto_table:2'),
  flow('a-conjunction', 'table=3,priority=10,ip,nw_src=10.0.0.1 actions=conjunction(7,1/2)'),
  flow('a-conjunction-2', 'table=3,priority=10,tcp,tp_dst=80 actions=conjunction(7,2/2),conjunction(8,1/3)'),
  flow('a-learn-l2', 'priority=10 actions=learn(table=10,idle_timeout=60,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],output:NXM_OF_IN_PORT[]),output:1'),
  flow('a-learn-neutron', 'priority=1 actions=learn(table=20,hard_timeout=300,priority=1,cookie=0x9,NXM_OF_VLAN_TCI[0..11],NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],load:0->NXM_OF_VLAN_TCI[],load:NXM_NX_TUN_ID[]->NXM_NX_TUN_ID[],output:NXM_OF_IN_PORT[]),output:1'),
  flow('a-learn-imm', 'priority=1 actions=learn(table=5,priority=100,fin_idle_timeout=5,fin_hard_timeout=10,send_flow_rem,eth_type=0x800,ip_dst=10.0.0.1,load:0x5->NXM_NX_REG1[])'),
  flow('a-output-reg', 'priority=10 actions=output:NXM_NX_REG0[]'),
  flow('a-output-reg-slice', 'priority=10 actions=output:NXM_NX_REG1[0..15]'),
  flow('a-exit', 'priority=10 actions=output:1,exit'),
  flow('a-many', 'priority=10,ip actions=set_field:192.168.50.3->tun_dst,set_field:0x10->tun_id,output:100,set_field:192.168.50.4->tun_dst,output:100,resubmit(,60),note:aa'),
];

/** flow_mod commands other than add, and bundles. */
const COMMANDS: Source[] = [
  { id: 'c-mod-flows', command: 'mod-flows', text: 'table=10,ip actions=output:2' },
  { id: 'c-mod-flows-strict', command: 'mod-flows', text: 'table=10,priority=5,ip actions=output:3', options: ['--strict'] },
  { id: 'c-del-flows-cookie', command: 'del-flows', text: 'cookie=0x100/0xff00' },
  { id: 'c-del-flows-table', command: 'del-flows', text: 'table=10,out_port=2' },
  { id: 'c-del-flows-strict', command: 'del-flows', text: 'table=10,priority=5,ip', options: ['--strict'] },
  { id: 'c-bundle-add', command: 'add-flow', text: 'table=0,priority=1 actions=drop', options: ['--bundle'] },
];

/** Group kinds (spec 7.3.4.2). */
const GROUPS: Source[] = [
  { id: 'g-all', command: 'add-group', text: 'group_id=1,type=all,bucket=output:1,bucket=output:2' },
  { id: 'g-all-flood-vteps', command: 'add-group', text: 'group_id=5,type=all,bucket=set_field:192.168.50.2->tun_dst,set_field:100->tun_id,output:100,bucket=set_field:192.168.50.3->tun_dst,set_field:100->tun_id,output:100,bucket=output:1' },
  { id: 'g-all-empty', command: 'add-group', text: 'group_id=7,type=all' },
  { id: 'g-select', command: 'add-group', text: 'group_id=2,type=select,bucket=weight:50,output:1,bucket=weight:150,output:2' },
  { id: 'g-select-actions', command: 'add-group', text: 'group_id=6,type=select,bucket=weight:1,set_field:02:00:00:00:00:01->eth_dst,output:1,bucket=weight:1,ct(commit,zone=1),output:2' },
  { id: 'g-indirect', command: 'add-group', text: 'group_id=3,type=indirect,bucket=set_field:02:00:00:00:00:01->eth_dst,output:3' },
  { id: 'g-ff', command: 'add-group', text: 'group_id=4,type=ff,bucket=watch_port:1,output:1,bucket=watch_port:2,output:2' },
  { id: 'g-ff-watch-group', command: 'add-group', text: 'group_id=8,type=ff,bucket=watch_group:1,group:1,bucket=watch_port:3,output:3' },
  { id: 'g-mod', command: 'mod-group', text: 'group_id=1,type=all,bucket=output:3' },
  { id: 'g-del', command: 'del-groups', text: 'group_id=1' },
  { id: 'g-del-all', command: 'del-groups', text: '' },
];

/** Meter kinds (spec 7.3.4.4). */
const METERS: Source[] = [
  { id: 'mt-kbps-drop', command: 'add-meter', text: 'meter=1,kbps,band=type=drop,rate=1000' },
  { id: 'mt-pktps-burst', command: 'add-meter', text: 'meter=2,pktps,burst,stats,band=type=drop,rate=100,burst_size=10' },
  { id: 'mt-dscp-remark', command: 'add-meter', text: 'meter=3,kbps,band=type=dscp_remark,rate=500,prec_level=1' },
  { id: 'mt-two-bands', command: 'add-meter', text: 'meter=4,kbps,burst,bands=type=drop,rate=1000,burst_size=100,type=dscp_remark,rate=500,burst_size=50,prec_level=2' },
  { id: 'mt-mod', command: 'mod-meter', text: 'meter=1,kbps,band=type=drop,rate=2000' },
  { id: 'mt-three-drop', command: 'add-meter', text: 'meter=6,pktps,burst,bands=type=drop,rate=10,burst_size=1,type=drop,rate=100,burst_size=10,type=drop,rate=1000,burst_size=100' },
  { id: 'mt-del', command: 'del-meters', text: 'meter=1' },
];

/** An ARP reply for 10.0.0.1 (router MAC 02:00:00:00:ff:01) to the VM 10.0.0.11: what a controller sends. */
export const ARP_REPLY_HEX =
  '020000000101' + '02000000ff01' + '0806' + '0001080006040002' + '02000000ff01' + '0a000001' + '020000000101' + '0a00000b';

/** packet_out as the controller side sends it (spec 7.3.7). */
const PACKET_OUTS: Source[] = [
  { id: 'p-out-port', command: 'packet-out', text: `in_port=CONTROLLER packet=${ARP_REPLY_HEX} actions=output:1` },
  { id: 'p-out-table', command: 'packet-out', text: `in_port=1 packet=${ARP_REPLY_HEX} actions=output:TABLE` },
  { id: 'p-out-regs', command: 'packet-out', text: `in_port=LOCAL packet=${ARP_REPLY_HEX} actions=set_field:0x5->reg0,resubmit(,10)` },
];

export const SOURCES: Source[] = [...BASIC_MATCHES, ...NICIRA_MATCHES, ...INSTRUCTIONS, ...ACTIONS, ...COMMANDS, ...GROUPS, ...METERS, ...PACKET_OUTS];
