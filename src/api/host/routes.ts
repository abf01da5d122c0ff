// The hosts collection (esdn's extension, admin only): name is the id in paths.
import { notAuthorized } from '../../domain/errors.ts';
import { hostNotFound } from '../../domain/host/decide.ts';
import type { HostState } from '../../domain/host/state.ts';
import { toHostJson } from '../../domain/host/view.ts';
import type { ResourceSpec } from '../resource.ts';
import { createHostSchema, updateHostSchema, type CreateHostBody, type UpdateHostBody } from './schemas.ts';

export const hostResource: ResourceSpec<HostState, CreateHostBody, UpdateHostBody> = {
  collection: 'hosts',
  member: 'host',
  visible(world, principal) {
    if (!principal.isAdmin) throw notAuthorized('get_host');
    return world.hosts.values();
  },
  find(world, principal, name) {
    if (!principal.isAdmin) throw notAuthorized('get_host');
    const host = world.hosts.get(name);
    if (host === undefined) throw hostNotFound(name);
    return host;
  },
  render: (host) => toHostJson(host),
  create: {
    schema: createHostSchema,
    command: (body, req) => ({
      type: 'RegisterHost',
      actor: req.principal,
      at: req.at,
      // registerResource finds what a create made by the command's id: for hosts that is the name.
      id: body.name,
      name: body.name,
      datapathId: body.datapath_id,
      tunnelIp: body.tunnel_ip,
      bridgeMappings: body.bridge_mappings,
      tunnelInterface: body.tunnel_interface,
    }),
  },
  update: {
    schema: updateHostSchema,
    command: (name, body, req) => ({
      type: 'UpdateHost',
      actor: req.principal,
      at: req.at,
      name,
      datapathId: body.datapath_id,
      tunnelIp: body.tunnel_ip,
      bridgeMappings: body.bridge_mappings,
      tunnelInterface: body.tunnel_interface,
    }),
  },
  remove: (name, req) => ({ type: 'DeregisterHost', actor: req.principal, at: req.at, name }),
};
