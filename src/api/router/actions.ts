// PUT /v2.0/routers/{id}/add_router_interface and remove_router_interface, answered in Neutron's shape.
import type { Context, Hono } from 'hono';
import { badRequest } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/events.ts';
import type { World } from '../../domain/world.ts';
import type { ApiEnv } from '../env.ts';
import { addExtension } from '../extensions.ts';
import { readMember } from '../body.ts';
import { meta, requestInfo, type ResourceDeps } from '../resource.ts';
import { routerResource } from './routes.ts';
import { extraRoutesSchema, interfaceSchema, type InterfaceBody } from './schemas.ts';

const BAD_REQUEST_TYPE = 'HTTPBadRequest';

/** The action body is a bare object ({"subnet_id": ...}), not wrapped in a member key. */
async function readInterfaceBody(c: Context<ApiEnv>): Promise<InterfaceBody> {
  let json: unknown;
  try {
    json = JSON.parse(await c.req.text());
  } catch {
    throw badRequest('Malformed request body', BAD_REQUEST_TYPE);
  }
  const parsed = interfaceSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw badRequest(`Invalid input for ${issue.path.map(String).join('.') || 'body'}. Reason: ${issue.message}.`, BAD_REQUEST_TYPE);
  }
  return parsed.data;
}

/** Neutron's answer: the router id and the interface port with its subnet(s) and network. */
function interfaceInfo(routerId: string, portId: string, subnetIds: string[], world: World, before: World) {
  const port = world.ports.get(portId) ?? before.ports.get(portId);
  const projectId = world.routers.get(routerId)?.projectId ?? before.routers.get(routerId)?.projectId ?? '';
  return {
    id: routerId,
    tenant_id: projectId,
    project_id: projectId,
    port_id: portId,
    network_id: port?.networkId ?? null,
    subnet_id: subnetIds[0] ?? null,
    subnet_ids: subnetIds,
  };
}

function touched(events: DomainEvent[], type: 'RouterInterfaceAdded' | 'RouterInterfaceRemoved') {
  const entries = events.flatMap((e) => (e.type === type ? [e.data] : []));
  return { portId: entries[0]?.portId, subnetIds: entries.map((e) => e.subnetId) };
}

export function registerRouterActions(app: Hono<ApiEnv>, deps: ResourceDeps): void {
  addExtension({ alias: 'router', name: 'Neutron L3 Router', description: 'Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks via a NAT gateway.' });
  addExtension({ alias: 'ext-gw-mode', name: 'Neutron L3 Configurable external gateway mode', description: 'Extension of the router abstraction for specifying whether SNAT should occur on the external gateway' });
  addExtension({ alias: 'extraroute', name: 'Neutron Extra Route', description: 'Extra routes configuration for L3 router' });
  addExtension({ alias: 'dvr', name: 'Distributed Virtual Router', description: 'Enables configuration of Distributed Virtual Routers.' });
  addExtension({ alias: 'extraroute-atomic', name: 'Atomic add/remove extra routes', description: 'Edit extra routes of a router on server side by atomically adding/removing extra routes' });
  for (const [action, mode] of [['add_extraroutes', 'add'], ['remove_extraroutes', 'remove']] as const) {
    app.put(`/v2.0/routers/:id/${action}`, async (c) => {
      const body = await readMember(c, 'router', extraRoutesSchema);
      const req = requestInfo(c, deps);
      const id = c.req.param('id');
      const command = { type: 'ChangeRouterRoutes', actor: req.principal, at: req.at, id, mode, routes: body.routes } as const;
      const { world } = await deps.service.execute(command, meta(c));
      return c.json({ router: routerResource.render(routerResource.find(world, req.principal, id), req.principal, world) });
    });
  }
  for (const [action, type] of [
    ['add_router_interface', 'AddRouterInterface'],
    ['remove_router_interface', 'RemoveRouterInterface'],
  ] as const) {
    app.put(`/v2.0/routers/:id/${action}`, async (c) => {
      const body = await readInterfaceBody(c);
      const req = requestInfo(c, deps);
      const id = c.req.param('id');
      const before = deps.service.world();
      const command = { type, actor: req.principal, at: req.at, id, subnetId: body.subnet_id, portId: body.port_id };
      const { events, world } = await deps.service.execute(command, meta(c));
      const { portId, subnetIds } = touched(events, type === 'AddRouterInterface' ? 'RouterInterfaceAdded' : 'RouterInterfaceRemoved');
      return c.json(interfaceInfo(id, portId ?? '', subnetIds, world, before));
    });
  }
}
