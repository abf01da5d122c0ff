// zod schemas for host request bodies (esdn's hosts extension).
import { z } from 'zod';

/** A host name as Nova reports it in binding:host_id (RFC 1123 labels). */
const hostName = z.string().regex(/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/, 'not a valid host name');
/** Linux interface names are at most 15 characters (IFNAMSIZ - 1); OVS port names follow them. */
const IFNAME_MAX_LENGTH = 15;
const portName = z.string().min(1).max(IFNAME_MAX_LENGTH).regex(/^[^\s/]+$/, 'not a valid OVS port name');
const datapathId = z.string().regex(/^[0-9a-fA-F]{16}$/, 'must be 16 hexadecimal digits');

const common = {
  datapath_id: datapathId,
  tunnel_ip: z.string(),
  bridge_mappings: z.record(z.string().min(1), portName),
  tunnel_interface: portName,
};

export const createHostSchema = z.strictObject({
  name: hostName,
  datapath_id: common.datapath_id,
  tunnel_ip: common.tunnel_ip,
  bridge_mappings: common.bridge_mappings.optional(),
  tunnel_interface: common.tunnel_interface.optional(),
});

export const updateHostSchema = z.strictObject({
  datapath_id: common.datapath_id.optional(),
  tunnel_ip: common.tunnel_ip.optional(),
  bridge_mappings: common.bridge_mappings.optional(),
  tunnel_interface: common.tunnel_interface.optional(),
});

export type CreateHostBody = z.output<typeof createHostSchema>;
export type UpdateHostBody = z.output<typeof updateHostSchema>;
