// The br-int pipeline declared as data: every table esdn uses, what it is for and where packets go next.
//
// Layout: 0 classify, 10-20 port security and ARP, 30-32 from a physical network (floating IPs, SNAT
// replies), 40-59 security groups (conntrack), 60-63 L2 lookup and routing (DVR), 64-67 towards a
// physical network, 70-80 delivery and flooding; 15 and 33-39 stay free. A new stage is added by
// inserting its table here and changing one `next`; the default flows follow.

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
/**
 * The external side (issue 5, /tmp/l3ext.md): packets from a physical network (classify -> 30), floating
 * IP DNAT (31) and delivery inside (32); packets leaving through a router's gateway (64 from routing's
 * default route), SNAT (65), the external source MAC and next hop (66), the neighbor's MAC and the
 * physical port (67). After 62 so a routed packet can still go forward to them.
 */
export const TABLE_EXT_INGRESS = 30;
export const TABLE_EXT_DNAT = 31;
export const TABLE_EXT_TO_INSIDE = 32;
export const TABLE_EXT_EGRESS = 64;
export const TABLE_EXT_SNAT = 65;
export const TABLE_EXT_OUT = 66;
export const TABLE_EXT_NEIGHBOR = 67;
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
    id: TABLE_EXT_INGRESS, name: 'ext_ingress', next: null,
    purpose: 'from a physical network: ARP for addresses this host answers -> reply in place (and a copy to the controller), other ARP -> controller (neighbor learning) and on to local delivery; IPv4 to an address NATed here -> ct(zone of its router, nat) to ext_dnat; the rest -> local delivery (VMs bound directly on the network)',
  },
  {
    id: TABLE_EXT_DNAT, name: 'ext_dnat', next: null,
    purpose: 'new connection to a floating IP -> ct(commit, nat(dst=fixed IP)); established/related (already translated, matched by zone and inside address) -> ext_to_inside',
  },
  {
    id: TABLE_EXT_TO_INSIDE, name: 'ext_to_inside', next: null,
    purpose: "translated destination = a VM fixed IP -> TTL-1, router leg MAC as source, VM MAC, network metadata; to local delivery (ingress security groups apply)",
  },
  {
    id: TABLE_EXT_EGRESS, name: 'ext_egress', next: null,
    purpose: "from routing's default route: a VM whose floating IP is NATed on this host -> ct(zone of its router, nat) to ext_snat; SNAT / centralized path (B)",
  },
  {
    id: TABLE_EXT_SNAT, name: 'ext_snat', next: null,
    purpose: 'new connection from a fixed IP with a floating IP -> ct(commit, nat(src=floating IP)); established/related (already translated) -> ext_out',
  },
  {
    id: TABLE_EXT_OUT, name: 'ext_out', next: null,
    purpose: "translated source -> its MAC on the physical network, next hop in reg5 (the destination when on-link, else the external subnet's gateway), provider network metadata",
  },
  {
    id: TABLE_EXT_NEIGHBOR, name: 'ext_neighbor', next: null,
    purpose: 'provider network + next hop (reg5) -> learned neighbor MAC, VLAN tag for VLAN networks, out the physical port; unknown neighbor -> controller (ARP request, packet dropped)',
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

/** Table ids kept free for later stages, so no stage takes them by accident. */
export const RESERVED_TABLES: readonly { from: number; to: number; for: string }[] = [
  { from: 15, to: 15, for: 'free: DHCP goes to the controller from egress_ct (40), not a table of its own' },
  { from: 33, to: 39, for: 'floating IPs and SNAT: more stages' },
  { from: 42, to: 50, for: 'security groups (conntrack), egress then ingress: more stages' },
  { from: 52, to: 59, for: 'security groups (conntrack), egress then ingress: more stages' },
];

export function pipelineTable(id: number): PipelineTable | undefined {
  return PIPELINE.find((t) => t.id === id);
}
