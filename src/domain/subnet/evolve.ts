// Applies subnet events: the subnet record and its network's subnet list.
import type { SubnetEvent } from '../events.ts';
import { withNetwork } from '../network/evolve.ts';
import { PMap } from '../pmap.ts';
import type { World } from '../world.ts';
import { withPools } from './allocation.ts';
import { poolRanges } from './layout.ts';
import type { SubnetState } from './state.ts';

export function evolveSubnet(world: World, event: SubnetEvent): World {
  switch (event.type) {
    case 'SubnetCreated': {
      const pools = poolRanges(event.data.allocationPools);
      const subnet: SubnetState = {
        ...event.data,
        revision: 1,
        pools,
        allocations: PMap.empty(),
        nextHint: pools[0]?.start ?? 0n,
        freed: PMap.empty(),
        poolAllocated: 0,
      };
      const next = { ...world, subnets: world.subnets.set(subnet.id, subnet) };
      return withNetwork(next, subnet.networkId, (n) => ({ ...n, subnetIds: [...n.subnetIds, subnet.id], revision: n.revision + 1 }));
    }
    case 'SubnetUpdated': {
      const subnet = world.subnets.get(event.data.id);
      if (subnet === undefined) return world;
      const { changes } = event.data;
      const changed: SubnetState = { ...subnet, ...changes, updatedAt: event.data.updatedAt, revision: subnet.revision + 1 };
      // New pools: recount and restart the cursor (O(allocations), only when pools change).
      const updated = changes.allocationPools === undefined ? changed : withPools(changed, poolRanges(changes.allocationPools));
      return { ...world, subnets: world.subnets.set(subnet.id, updated) };
    }
    case 'SubnetDeleted': {
      const next = { ...world, subnets: world.subnets.delete(event.data.id) };
      return withNetwork(next, event.data.networkId, (n) => ({
        ...n,
        subnetIds: n.subnetIds.filter((id) => id !== event.data.id),
        revision: n.revision + 1,
      }));
    }
  }
}
