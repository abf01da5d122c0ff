// The br-int pipeline declared as data: every table esdn uses, what it is for and where packets go next.
//
// Gaps are left on purpose for the L3 issue: 30-39 routing (DVR) and floating IPs, 40-49 egress
// security groups (conntrack), 50-59 ingress security groups, 15 DHCP to the controller. A new stage
// is added by inserting its table here and changing one `next`; the default flows follow.

export interface PipelineTable {
  id: number;
  name: string;
  purpose: string;
  /** where the table's default (miss) flow sends a packet; null = drop */
  next: number | null;
}

export const TABLE_CLASSIFY = 0;
export const TABLE_PORT_SECURITY = 10;
export const TABLE_ARP_RESPONDER = 20;
/**
 * Distributed routing (issue 5): route lookup by destination, then next hop -> MAC and where it lives.
 * After L2 lookup (60) and before local delivery (70), since goto_table only goes forward and routed
 * packets must pass egress security groups (40/41) first.
 */
export const TABLE_ROUTING = 62;
export const TABLE_NEXT_HOP = 63;
/** Security groups (issue 5): egress conntrack lookup, egress rules, ingress rules (the ingress lookup sits in local delivery). */
export const TABLE_EGRESS_CT = 40;
export const TABLE_EGRESS_RULES = 41;
export const TABLE_INGRESS_RULES = 51;
export const TABLE_L2_LOOKUP = 60;
export const TABLE_LOCAL_DELIVERY = 70;
export const TABLE_FLOOD = 80;

export const PIPELINE: readonly PipelineTable[] = [
  {
    id: TABLE_CLASSIFY, name: 'classify', next: null,
    purpose: 'VM port in_port -> network in metadata, to port security; tunnel in_port + tun_id (VNI) -> network, to local delivery; anything else dropped',
  },
  {
    id: TABLE_PORT_SECURITY, name: 'port_security', next: null,
    purpose: "a VM sends only from its MAC and fixed IPs (plus allowed address pairs), ARP only about itself; port_security_enabled=false lifts it",
  },
  {
    id: TABLE_ARP_RESPONDER, name: 'arp_responder', next: TABLE_EGRESS_CT,
    purpose: 'ARP requests for every known address of the network are answered here, on the local switch (l2pop)',
  },
  {
    id: TABLE_ROUTING, name: 'routing', next: null,
    purpose: "IPv4 to a router's MAC (from l2_lookup): longest prefix of the router's subnets and routes -> TTL-1, router MAC of the out interface, out network in metadata, next hop in reg5",
  },
  {
    id: TABLE_NEXT_HOP, name: 'next_hop', next: null,
    purpose: "next hop (reg5) in the out network -> its port's MAC; to local delivery on this host or straight over the tunnel to its host",
  },
  {
    id: TABLE_EGRESS_CT, name: 'egress_ct', next: TABLE_L2_LOOKUP,
    purpose: "IP from a port with security groups: conntrack lookup in the port's zone, then egress rules; other ports and non-IP pass",
  },
  {
    id: TABLE_EGRESS_RULES, name: 'egress_rules', next: null,
    purpose: 'after the egress lookup: established/related pass, invalid drops, new connections pass (and are committed) only by an egress rule of the port',
  },
  {
    id: TABLE_INGRESS_RULES, name: 'ingress_rules', next: null,
    purpose: "after the ingress lookup (in local delivery, zone and port in reg7): established/related out reg7's port, new only by an ingress rule of the port",
  },
  {
    id: TABLE_L2_LOOKUP, name: 'l2_lookup', next: TABLE_LOCAL_DELIVERY,
    purpose: 'unicast to a MAC on another host: set tun_dst and tun_id (VNI), out the tunnel port',
  },
  {
    id: TABLE_LOCAL_DELIVERY, name: 'local_delivery', next: TABLE_FLOOD,
    purpose: 'unicast to a MAC on this host: out its port (from VMs and from the tunnel)',
  },
  {
    id: TABLE_FLOOD, name: 'flood', next: null,
    purpose: 'broadcast, multicast and unknown unicast: to local ports of the network, and from local VMs also to each other host with ports in it',
  },
];

/** Tables reserved for later stages (L3 issue), so their ids are not taken. */
export const RESERVED_TABLES: readonly { from: number; to: number; for: string }[] = [
  { from: 15, to: 15, for: 'DHCP answered by the controller (packet-in)' },
  { from: 30, to: 39, for: 'floating IPs and SNAT' },
  { from: 42, to: 50, for: 'security groups (conntrack), egress then ingress: more stages' },
  { from: 52, to: 59, for: 'security groups (conntrack), egress then ingress: more stages' },
];

export function pipelineTable(id: number): PipelineTable | undefined {
  return PIPELINE.find((t) => t.id === id);
}
