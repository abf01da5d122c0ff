// Applies network events to the world: the network record and the segment index.
import type { NetworkEvent } from '../events.ts';
import { PMap } from '../pmap.ts';
import type { World } from '../world.ts';
import { segmentKey } from './segments.ts';
import type { NetworkState } from './state.ts';

export function evolveNetwork(world: World, event: NetworkEvent): World {
  switch (event.type) {
    case 'NetworkCreated': {
      const network: NetworkState = {
        ...event.data,
        revision: 1,
        subnetIds: [],
        ports: PMap.empty(),
        macs: PMap.empty(),
      };
      const { segment } = event.data;
      return {
        ...world,
        networks: world.networks.set(network.id, network),
        segments: world.segments.set(segmentKey(segment), network.id),
        nextVni: segment.networkType === 'vxlan' ? (segment.segmentationId ?? 0) + 1 : world.nextVni,
      };
    }
    case 'NetworkUpdated': {
      const network = world.networks.get(event.data.id);
      if (network === undefined) return world;
      const updated = { ...network, ...event.data.changes, updatedAt: event.data.updatedAt, revision: network.revision + 1 };
      return { ...world, networks: world.networks.set(network.id, updated) };
    }
    case 'NetworkDeleted': {
      const network = world.networks.get(event.data.id);
      if (network === undefined) return world;
      return {
        ...world,
        networks: world.networks.delete(network.id),
        segments: world.segments.delete(segmentKey(network.segment)),
      };
    }
  }
}

/** Replaces one network record through f (used by subnet and port evolvers for the network's indexes). */
export function withNetwork(world: World, id: string, f: (network: NetworkState) => NetworkState): World {
  const network = world.networks.get(id);
  return network === undefined ? world : { ...world, networks: world.networks.set(id, f(network)) };
}
