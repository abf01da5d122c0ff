// A subnet's address layout: gateway and allocation pools, defaulted and checked like Neutron does.
import { badRequest, conflict, invalidInput } from '../errors.ts';
import { cidrContains, formatIp, lastAddress, parseIp, type Cidr, type IpAddress } from '../ip/address.ts';
import type { AllocationPool, PoolRange } from './state.ts';

/** IPv4 prefixes longer than /30 have no room for network, gateway, host and broadcast. */
const MAX_V4_PREFIX_WITH_HOSTS = 30;

/** First and last addresses a pool or gateway may use: not the network address, not v4 broadcast. */
export function usableRange(cidr: Cidr): PoolRange {
  const last = lastAddress(cidr);
  if (cidr.version === 4) {
    if (cidr.prefixLength > MAX_V4_PREFIX_WITH_HOSTS) return { start: cidr.network, end: last };
    return { start: cidr.network + 1n, end: last - 1n };
  }
  return { start: cidr.network + 1n, end: last };
}

export function ipIn(cidr: Cidr, text: string, what: string): IpAddress {
  const ip = parseIp(text);
  if (ip === undefined || ip.version !== cidr.version) throw invalidInput(`${what} '${text}' is not a valid IPv${cidr.version} address`);
  return ip;
}

export function resolveGateway(cidr: Cidr, requested: string | null | undefined): string | null {
  const usable = usableRange(cidr);
  if (requested === null) return null;
  if (requested === undefined) return usable.start <= usable.end ? formatIp({ version: cidr.version, value: usable.start }) : null;
  const ip = ipIn(cidr, requested, 'gateway_ip');
  if (!cidrContains(cidr, ip) || ip.value < usable.start || ip.value > usable.end) {
    throw invalidInput(`Gateway IP ${requested} is not a usable address of subnet ${formatIp({ version: cidr.version, value: cidr.network })}/${cidr.prefixLength}`);
  }
  return formatIp(ip);
}

function defaultPools(cidr: Cidr, gateway: bigint | null): PoolRange[] {
  const usable = usableRange(cidr);
  if (gateway === null || gateway < usable.start || gateway > usable.end) return [usable];
  const pools: PoolRange[] = [];
  if (gateway > usable.start) pools.push({ start: usable.start, end: gateway - 1n });
  if (gateway < usable.end) pools.push({ start: gateway + 1n, end: usable.end });
  return pools;
}

function checkPools(cidr: Cidr, pools: PoolRange[], text: AllocationPool[]): void {
  const usable = usableRange(cidr);
  pools.forEach((pool, i) => {
    if (pool.start > pool.end) throw badRequest(`The allocation pool ${text[i].start}-${text[i].end} spans beyond the subnet cidr.`, 'InvalidAllocationPool');
    if (pool.start < usable.start || pool.end > usable.end) {
      throw badRequest(`The allocation pool ${text[i].start}-${text[i].end} spans beyond the subnet cidr.`, 'OutOfBoundsAllocationPool');
    }
  });
  const sorted = [...pools].sort((a, b) => (a.start < b.start ? -1 : 1));
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start <= sorted[i - 1].end) throw badRequest('Found overlapping allocation pools.', 'OverlappingAllocationPools');
  }
}

export interface Layout {
  gatewayIp: string | null;
  allocationPools: AllocationPool[];
  pools: PoolRange[];
}

/** Pools as given (checked) or the usable range minus the gateway; the gateway must not be in a pool. */
export function resolveLayout(cidr: Cidr, gatewayIp: string | null, requested: AllocationPool[] | undefined): Layout {
  const gateway = gatewayIp === null ? null : ipIn(cidr, gatewayIp, 'gateway_ip').value;
  let pools: PoolRange[];
  if (requested === undefined) {
    pools = defaultPools(cidr, gateway);
  } else {
    pools = requested.map((p) => ({ start: ipIn(cidr, p.start, 'allocation pool start').value, end: ipIn(cidr, p.end, 'allocation pool end').value }));
    checkPools(cidr, pools, requested);
    if (gateway !== null && pools.some((p) => gateway >= p.start && gateway <= p.end)) {
      throw conflict('GatewayConflictWithAllocationPools', `Gateway ip ${gatewayIp} conflicts with allocation pool.`);
    }
  }
  pools.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const show = (v: bigint) => formatIp({ version: cidr.version, value: v });
  return { gatewayIp, pools, allocationPools: pools.map((p) => ({ start: show(p.start), end: show(p.end) })) };
}

/** True when the address (canonical text) lies in one of the pools. */
export function inPools(pools: readonly PoolRange[], ip: string): boolean {
  const value = parseIp(ip)?.value;
  return value !== undefined && pools.some((p) => value >= p.start && value <= p.end);
}

export function countInPools(pools: readonly PoolRange[], ips: Iterable<string>): number {
  let count = 0;
  for (const ip of ips) if (inPools(pools, ip)) count += 1;
  return count;
}

/** How many addresses the pools hold. */
export function poolCapacity(pools: readonly PoolRange[]): bigint {
  return pools.reduce((sum, p) => sum + (p.end - p.start + 1n), 0n);
}

/** Pools as numbers from their recorded text (evolve). */
export function poolRanges(pools: AllocationPool[]): PoolRange[] {
  return pools.map((p) => ({ start: parseIp(p.start)?.value ?? 0n, end: parseIp(p.end)?.value ?? -1n }));
}
