// Applies router events to the world (their ports change through port events, applied by the port evolver).
import type { World } from '../world.ts';
import type { RouterEvent } from './events.ts';
import type { RouterState } from './state.ts';

function withRouter(world: World, id: string, updatedAt: string, f: (router: RouterState) => RouterState): World {
  const router = world.routers.get(id);
  if (router === undefined) return world;
  return { ...world, routers: world.routers.set(id, { ...f(router), updatedAt, revision: router.revision + 1 }) };
}

export function evolveRouter(world: World, event: RouterEvent): World {
  switch (event.type) {
    case 'RouterCreated':
      return {
        ...world,
        routers: world.routers.set(event.data.id, { ...event.data, revision: 1, gateway: null, interfaces: [] }),
      };
    case 'RouterUpdated':
      return withRouter(world, event.data.id, event.data.updatedAt, (r) => ({ ...r, ...event.data.changes }));
    case 'RouterGatewaySet':
      return withRouter(world, event.data.id, event.data.updatedAt, (r) => ({ ...r, gateway: event.data.gateway }));
    case 'RouterGatewayCleared':
      return withRouter(world, event.data.id, event.data.updatedAt, (r) => ({ ...r, gateway: null }));
    case 'RouterInterfaceAdded': {
      const { portId, subnetId } = event.data;
      return withRouter(world, event.data.id, event.data.updatedAt, (r) => ({ ...r, interfaces: [...r.interfaces, { portId, subnetId }] }));
    }
    case 'RouterInterfaceRemoved': {
      const { portId, subnetId } = event.data;
      return withRouter(world, event.data.id, event.data.updatedAt, (r) => ({
        ...r,
        interfaces: r.interfaces.filter((i) => i.portId !== portId || i.subnetId !== subnetId),
      }));
    }
    case 'RouterDeleted':
      return { ...world, routers: world.routers.delete(event.data.id) };
  }
}
