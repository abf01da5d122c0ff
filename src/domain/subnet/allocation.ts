// Picks free addresses from a subnet's pools: first free at or after the subnet's cursor, wrapping once.
import { formatIp } from '../ip/address.ts';
import { countInPools, poolCapacity } from './layout.ts';
import type { SubnetState } from './state.ts';

/**
 * The next free address (canonical text) not allocated and not in `taken` (addresses this decision
 * already chose), or undefined when the pools are exhausted. Amortised O(1): the cursor moves past
 * every allocation, so a scan only crosses addresses freed since.
 */
export function nextFreeIp(subnet: SubnetState, taken: ReadonlySet<string>): string | undefined {
  const pools = subnet.pools;
  // A full pool would cost a scan of every address per refused request: answer from the count.
  if (pools.length === 0 || BigInt(subnet.poolAllocated + countInPools(pools, taken)) >= poolCapacity(pools)) return undefined;
  let index = pools.findIndex((p) => subnet.nextHint <= p.end);
  if (index < 0) index = 0;
  let candidate = subnet.nextHint < pools[index].start ? pools[index].start : subnet.nextHint;
  const gateway = subnet.gatewayIp;
  // Each pool is visited at most twice: once from the cursor, once from its start after wrapping.
  for (let visited = 0; visited <= pools.length; ) {
    const pool = pools[index];
    for (let value = candidate; value <= pool.end; value++) {
      const text = formatIp({ version: subnet.ipVersion, value });
      if (!subnet.allocations.has(text) && !taken.has(text) && text !== gateway) return text;
    }
    index = (index + 1) % pools.length;
    candidate = pools[index].start;
    visited += 1;
  }
  return undefined;
}
