// A registered hypervisor (esdn's hosts extension): its switch, its VXLAN endpoint, its physical networks.

export interface HostAttrs {
  name: string;
  /** 16 lowercase hex digits (the switch's u64 datapath id). */
  datapathId: string;
  tunnelIp: string;
  /** physical network -> name of the OVS port on br-int that reaches it. */
  bridgeMappings: Record<string, string>;
  /** Name of the flow-based VXLAN port on br-int. */
  tunnelInterface: string;
  createdAt: string;
  updatedAt: string;
}

export type HostChanges = Partial<Pick<HostAttrs, 'datapathId' | 'tunnelIp' | 'bridgeMappings' | 'tunnelInterface'>>;

export interface HostState extends HostAttrs {
  revision: number;
}
