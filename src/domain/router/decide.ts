// Decides router intents against the whole world: create, update (routes, gateway), delete, interfaces.
import type { DecideContext } from '../context.ts';
import { conflict, notAuthorized } from '../errors.ts';
import type { DomainEvent } from '../events.ts';
import type { World } from '../world.ts';
import { connectionsOf, visibleRouter } from './access.ts';
import type { ChangeRouterRoutes, CreateRouter, DeleteRouter, RouterCommand, UpdateRouter } from './commands.ts';
import { clearGatewayEvents, setGatewayEvents } from './gateway.ts';
import { addInterface, removeInterface } from './interfaces.ts';
import { canonicalRoutes, checkRoutes } from './routes.ts';
import type { RouterChanges } from './state.ts';
import { normalTags } from '../tag/decide.ts';
import { unhandled } from '../unhandled.ts';

function createRouter(command: CreateRouter, world: World, ctx: DecideContext): DomainEvent[] {
  const { actor } = command;
  if (command.projectId !== undefined && command.projectId !== actor.projectId && !actor.isAdmin) throw notAuthorized('create_router');
  if (world.routers.has(command.id)) throw conflict('RouterExists', `Router ${command.id} already exists.`);
  const created: DomainEvent = {
    type: 'RouterCreated',
    data: {
      id: command.id,
      projectId: command.projectId ?? actor.projectId,
      name: command.name ?? '',
      description: command.description ?? '',
      adminStateUp: command.adminStateUp ?? true,
      routes: [],
      tags: normalTags(command.tags ?? []),
      createdAt: command.at,
      updatedAt: command.at,
    },
  };
  const gateway = command.externalGateway;
  if (gateway === undefined || gateway === null) return [created];
  return [created, ...setGatewayEvents(world, ctx, actor, { id: command.id, gateway: null }, gateway, command.at)];
}

function updateRouter(command: UpdateRouter, world: World, ctx: DecideContext): DomainEvent[] {
  const router = visibleRouter(world, command.actor, command.id);
  const changes: RouterChanges = {};
  if (command.name !== undefined) changes.name = command.name;
  if (command.description !== undefined) changes.description = command.description;
  if (command.adminStateUp !== undefined) changes.adminStateUp = command.adminStateUp;
  if (command.routes !== undefined) {
    const routes = canonicalRoutes(command.routes);
    checkRoutes(router.id, routes, connectionsOf(world, router));
    changes.routes = routes;
  }
  const events: DomainEvent[] = [];
  if (Object.keys(changes).length > 0) events.push({ type: 'RouterUpdated', data: { id: router.id, changes, updatedAt: command.at } });
  if (command.externalGateway === null) events.push(...clearGatewayEvents(world, router, command.at));
  else if (command.externalGateway !== undefined) {
    events.push(...setGatewayEvents(world, ctx, command.actor, router, command.externalGateway, command.at));
  }
  return events;
}

function deleteRouter(command: DeleteRouter, world: World): DomainEvent[] {
  const router = visibleRouter(world, command.actor, command.id);
  if (router.interfaces.length > 0) throw conflict('RouterInUse', `Router ${router.id} still has ports`);
  return [...clearGatewayEvents(world, router, command.at), { type: 'RouterDeleted', data: { id: router.id } }];
}

/** Atomic add/remove against the routes the router has now: concurrent changes cannot lose each other. */
function changeRoutes(command: ChangeRouterRoutes, world: World): DomainEvent[] {
  const router = visibleRouter(world, command.actor, command.id);
  const key = (r: { destination: string; nexthop: string }) => `${r.destination} ${r.nexthop}`;
  const asked = canonicalRoutes(command.routes);
  const have = new Set(router.routes.map(key));
  const drop = new Set(asked.map(key));
  const routes = command.mode === 'add'
    ? [...router.routes, ...asked.filter((r) => !have.has(key(r)))]
    : router.routes.filter((r) => !drop.has(key(r)));
  if (routes.length === router.routes.length && routes.every((r, i) => key(r) === key(router.routes[i]))) return [];
  checkRoutes(router.id, routes, connectionsOf(world, router));
  return [{ type: 'RouterUpdated', data: { id: router.id, changes: { routes }, updatedAt: command.at } }];
}

export function decideRouter(command: RouterCommand, world: World, ctx: DecideContext): DomainEvent[] {
  switch (command.type) {
    case 'CreateRouter':
      return createRouter(command, world, ctx);
    case 'UpdateRouter':
      return updateRouter(command, world, ctx);
    case 'DeleteRouter':
      return deleteRouter(command, world);
    case 'AddRouterInterface':
      return addInterface(command, world, ctx);
    case 'RemoveRouterInterface':
      return removeInterface(command, world);
    case 'ChangeRouterRoutes':
      return changeRoutes(command, world);
    default:
      return unhandled(command, 'unknown router command');
  }
}
