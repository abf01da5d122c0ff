// IP allocation in a subnet's pools: a forward cursor plus the set of addresses released behind it,
// so both choosing a free address and recording an allocation stay O(1) amortised.
//
// Invariant (checked by test/domain/invariants.unit.test.ts): every free pool address is either at or
// after `nextHint`, or in `freed`. The cursor only walks over allocated addresses, each once per pass.
import { formatIp, parseIp } from '../ip/address.ts';
import { PMap } from '../pmap.ts';
import { countInPools, inPools, poolCapacity } from './layout.ts';
import type { PoolRange, SubnetState } from './state.ts';

function poolAtOrAfter(pools: readonly PoolRange[], value: bigint): PoolRange | undefined {
  return pools.find((p) => value <= p.end);
}

/** First address at or after `from` in the pools that `isFree` accepts, or undefined. */
function scanForward(subnet: SubnetState, from: bigint, isFree: (text: string) => boolean): { value: bigint; text: string } | undefined {
  let value = from;
  for (let pool = poolAtOrAfter(subnet.pools, value); pool !== undefined; pool = poolAtOrAfter(subnet.pools, value)) {
    if (value < pool.start) value = pool.start;
    for (; value <= pool.end; value++) {
      const text = formatIp({ version: subnet.ipVersion, value });
      if (isFree(text)) return { value, text };
    }
  }
  return undefined;
}

function unallocated(subnet: SubnetState, text: string): boolean {
  return !subnet.allocations.has(text) && text !== subnet.gatewayIp;
}

/** The cursor moved to the first unallocated pool address at or after it (or past the last pool). */
function advanced(subnet: SubnetState): bigint {
  const found = scanForward(subnet, subnet.nextHint, (text) => unallocated(subnet, text));
  const last = subnet.pools[subnet.pools.length - 1];
  return found?.value ?? (last === undefined ? subnet.nextHint : last.end + 1n);
}

/**
 * A free address (canonical text) not allocated and not in `taken` (addresses this decision already
 * chose), or undefined when the pools are exhausted: fresh addresses from the cursor first, then ones
 * released behind it.
 */
export function nextFreeIp(subnet: SubnetState, taken: ReadonlySet<string>): string | undefined {
  const { pools } = subnet;
  // A full pool would cost a scan of every address per refused request: answer from the count.
  if (pools.length === 0 || BigInt(subnet.poolAllocated + countInPools(pools, taken)) >= poolCapacity(pools)) return undefined;
  const isFree = (text: string) => unallocated(subnet, text) && !taken.has(text);
  const fresh = scanForward(subnet, subnet.nextHint, isFree);
  if (fresh !== undefined) return fresh.text;
  for (const text of subnet.freed.keys()) if (isFree(text)) return text;
  // Unreachable while the invariant holds; a full scan keeps a broken index from refusing addresses.
  return scanForward(subnet, pools[0].start, isFree)?.text;
}

/**
 * An explicit allocation a little ahead of the cursor moves the cursor past it (automatic addresses
 * keep ascending, as before), the free addresses it jumps over going to `freed`. Further ahead, the
 * cursor stays: jumping would cost a walk as long as the gap.
 */
const MAX_CURSOR_JUMP = 256n;

function jumpedTo(subnet: SubnetState, value: bigint): SubnetState {
  let freed = subnet.freed;
  for (let v = subnet.nextHint; v < value; v++) {
    const text = formatIp({ version: subnet.ipVersion, value: v });
    if (inPools(subnet.pools, text) && unallocated(subnet, text)) freed = freed.set(text, true);
  }
  return { ...subnet, freed, nextHint: value + 1n };
}

/** The subnet after `ip` was allocated to `portId`. */
export function withAllocated(subnet: SubnetState, ip: string, portId: string): SubnetState {
  const isNew = !subnet.allocations.has(ip);
  const pooled = inPools(subnet.pools, ip);
  let next: SubnetState = {
    ...subnet,
    allocations: subnet.allocations.set(ip, portId),
    poolAllocated: subnet.poolAllocated + (isNew && pooled ? 1 : 0),
    freed: subnet.freed.has(ip) ? subnet.freed.delete(ip) : subnet.freed,
  };
  if (!pooled) return next;
  const value = parseIp(ip)?.value;
  if (value !== undefined && value > next.nextHint && value - next.nextHint <= MAX_CURSOR_JUMP) next = jumpedTo(next, value);
  return { ...next, nextHint: advanced(next) };
}

/** The subnet after `ip` was released. */
export function withReleased(subnet: SubnetState, ip: string): SubnetState {
  if (!subnet.allocations.has(ip)) return subnet;
  const pooled = inPools(subnet.pools, ip);
  const value = parseIp(ip)?.value;
  const behind = pooled && value !== undefined && value < subnet.nextHint;
  return {
    ...subnet,
    allocations: subnet.allocations.delete(ip),
    poolAllocated: subnet.poolAllocated - (pooled ? 1 : 0),
    freed: behind ? subnet.freed.set(ip, true) : subnet.freed,
  };
}

/** New pools: restart the cursor at their start (one walk over the allocations) with nothing behind it. */
export function withPools(subnet: SubnetState, pools: readonly PoolRange[]): SubnetState {
  const next: SubnetState = {
    ...subnet,
    pools,
    poolAllocated: countInPools(pools, subnet.allocations.keys()),
    nextHint: pools[0]?.start ?? 0n,
    freed: PMap.empty(),
  };
  return { ...next, nextHint: advanced(next) };
}
