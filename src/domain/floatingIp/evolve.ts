// Applies floating IP events to the world: the record and the one-per-fixed-IP index.
import { PMap } from '../pmap.ts';
import type { World } from '../world.ts';
import type { FloatingIpEvent } from './events.ts';
import { fixedIpKey, type FloatingIpState } from './state.ts';

function keyOf(fip: FloatingIpState): string | undefined {
  const a = fip.association;
  return a === null ? undefined : fixedIpKey(a.portId, a.fixedIpAddress, fip.floatingNetworkId);
}

function reindexPort(byPort: World['floatingIpsByPort'], before: FloatingIpState | undefined, after: FloatingIpState | undefined) {
  const oldPort = before?.association?.portId;
  const newPort = after?.association?.portId;
  if (oldPort === newPort) return byPort;
  let index = byPort;
  if (oldPort !== undefined && before !== undefined) {
    index = index.update(oldPort, (fips) => {
      const left = fips?.delete(before.id);
      return left === undefined || left.size === 0 ? undefined : left;
    });
  }
  if (newPort !== undefined && after !== undefined) {
    index = index.update(newPort, (fips) => (fips ?? PMap.empty<string, true>()).set(after.id, true));
  }
  return index;
}

/** Replaces the record and keeps both indexes in step with its association. */
function put(world: World, before: FloatingIpState | undefined, after: FloatingIpState | undefined): World {
  let index = world.floatingIpsByFixedIp;
  const oldKey = before === undefined ? undefined : keyOf(before);
  const newKey = after === undefined ? undefined : keyOf(after);
  if (oldKey !== undefined && oldKey !== newKey) index = index.delete(oldKey);
  if (after !== undefined && newKey !== undefined) index = index.set(newKey, after.id);
  const id = (after ?? before)?.id;
  if (id === undefined) return world;
  return {
    ...world,
    floatingIps: after === undefined ? world.floatingIps.delete(id) : world.floatingIps.set(id, after),
    floatingIpsByFixedIp: index,
    floatingIpsByPort: reindexPort(world.floatingIpsByPort, before, after),
  };
}

function change(world: World, id: string, updatedAt: string, f: (fip: FloatingIpState) => FloatingIpState): World {
  const fip = world.floatingIps.get(id);
  if (fip === undefined) return world;
  return put(world, fip, { ...f(fip), updatedAt, revision: fip.revision + 1 });
}

export function evolveFloatingIp(world: World, event: FloatingIpEvent): World {
  switch (event.type) {
    case 'FloatingIpCreated':
      return put(world, undefined, { ...event.data, revision: 1, association: null, status: 'DOWN' });
    case 'FloatingIpUpdated':
      return change(world, event.data.id, event.data.updatedAt, (f) => ({ ...f, ...event.data.changes }));
    case 'FloatingIpAssociated': {
      const { portId, fixedIpAddress, routerId } = event.data;
      // a new target needs new NAT flows: DOWN until the southbound confirms them.
      return change(world, event.data.id, event.data.updatedAt, (f) => ({ ...f, association: { portId, fixedIpAddress, routerId }, status: 'DOWN' }));
    }
    case 'FloatingIpDisassociated':
      return change(world, event.data.id, event.data.updatedAt, (f) => ({ ...f, association: null, status: 'DOWN' }));
    case 'FloatingIpStatusChanged':
      return change(world, event.data.id, event.data.updatedAt, (f) => ({ ...f, status: event.data.status }));
    case 'FloatingIpDeleted':
      return put(world, world.floatingIps.get(event.data.id), undefined);
  }
}
