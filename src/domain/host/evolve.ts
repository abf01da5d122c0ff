// Applies host events: the host record and the datapath id index.
import type { HostEvent } from '../events.ts';
import type { World } from '../world.ts';

export function evolveHost(world: World, event: HostEvent): World {
  switch (event.type) {
    case 'HostRegistered':
      return {
        ...world,
        hosts: world.hosts.set(event.data.name, { ...event.data, revision: 1 }),
        hostsByDatapath: world.hostsByDatapath.set(event.data.datapathId, event.data.name),
      };
    case 'HostUpdated': {
      const host = world.hosts.get(event.data.name);
      if (host === undefined) return world;
      const updated = { ...host, ...event.data.changes, updatedAt: event.data.updatedAt, revision: host.revision + 1 };
      const byDatapath = world.hostsByDatapath.delete(host.datapathId).set(updated.datapathId, host.name);
      return { ...world, hosts: world.hosts.set(host.name, updated), hostsByDatapath: byDatapath };
    }
    case 'HostDeregistered': {
      const host = world.hosts.get(event.data.name);
      if (host === undefined) return world;
      return { ...world, hosts: world.hosts.delete(host.name), hostsByDatapath: world.hostsByDatapath.delete(host.datapathId) };
    }
  }
}
