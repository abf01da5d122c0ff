// A port's MAC and fixed IPs: allocate or check requested ones against the network's and subnets' indexes.
import type { DecideContext } from '../context.ts';
import { HTTP_CONFLICT, NeutronError, badRequest, conflict, invalidInput } from '../errors.ts';
import { cidrContains, formatIp, parseCidr, parseIp } from '../ip/address.ts';
import type { NetworkState } from '../network/state.ts';
import { nextFreeIp } from '../subnet/allocation.ts';
import type { SubnetState } from '../subnet/state.ts';
import type { World } from '../world.ts';
import type { FixedIpRequest } from './commands.ts';
import type { FixedIp } from './state.ts';

/** Neutron's default base_mac prefix fa:16:3e (a locally administered OUI-like prefix). */
export const MAC_PREFIX = 'fa:16:3e';
const MAC_TAIL_MASK = 0xff_ff_ff;
/** Give up on a random MAC after this many collisions inside one network. */
const MAC_ATTEMPTS = 16;

export function macAddressInUse(networkId: string, mac: string): NeutronError {
  return conflict('MacAddressInUse', `Unable to complete operation for network ${networkId}. The mac address ${mac} is in use.`);
}

export function ipGenerationFailure(networkId: string): NeutronError {
  return conflict('IpAddressGenerationFailure', `No more IP addresses available on network ${networkId}.`);
}

/** A requested MAC (already normalised to lowercase) if free, else a random fa:16:3e:xx:xx:xx free in the network. */
export function chooseMac(network: NetworkState, ctx: DecideContext, requested: string | undefined): string {
  if (requested !== undefined) {
    if (network.macs.has(requested)) throw macAddressInUse(network.id, requested);
    return requested;
  }
  for (let i = 0; i < MAC_ATTEMPTS; i++) {
    const tail = ctx.randomUint32() & MAC_TAIL_MASK;
    const bytes = [16, 8, 0].map((shift) => ((tail >> shift) & 0xff).toString(16).padStart(2, '0'));
    const mac = `${MAC_PREFIX}:${bytes.join(':')}`;
    if (!network.macs.has(mac)) return mac;
  }
  throw new NeutronError('MacAddressGenerationFailure', HTTP_CONFLICT, `Unable to generate unique mac on network ${network.id}.`);
}

function subnetOfNetwork(world: World, network: NetworkState, subnetId: string): SubnetState {
  const subnet = network.subnetIds.includes(subnetId) ? world.subnets.get(subnetId) : undefined;
  if (subnet === undefined) {
    throw invalidInput(`Failed to create port on network ${network.id}, because fixed_ips included invalid subnet ${subnetId}`);
  }
  return subnet;
}

function subnetContaining(world: World, network: NetworkState, ip: string): SubnetState {
  const parsed = parseIp(ip);
  for (const id of network.subnetIds) {
    const subnet = world.subnets.get(id);
    const cidr = subnet === undefined ? undefined : parseCidr(subnet.cidr);
    if (parsed !== undefined && cidr !== undefined && cidrContains(cidr, parsed)) return subnet!;
  }
  throw badRequest(`IP address ${ip} is not a valid IP for any of the subnets on the specified network.`, 'InvalidIpForNetwork');
}

export interface AddressContext {
  /** Addresses the port already holds (kept on update: not "in use" by someone else). */
  own: ReadonlySet<string>;
  /** network:* ports (router interfaces) may take a subnet's gateway address. */
  mayUseGateway: boolean;
}

function key(subnetId: string, ip: string): string {
  return `${subnetId}|${ip}`;
}

/** One requested entry with an address: the address must be in the subnet and free. */
function explicitIp(world: World, network: NetworkState, req: FixedIpRequest & { ipAddress: string }, ac: AddressContext, taken: Set<string>): FixedIp {
  const parsed = parseIp(req.ipAddress);
  if (parsed === undefined) throw invalidInput(`'${req.ipAddress}' is not a valid IP address`);
  const ip = formatIp(parsed);
  const subnet = req.subnetId === undefined ? subnetContaining(world, network, ip) : subnetOfNetwork(world, network, req.subnetId);
  const cidr = parseCidr(subnet.cidr)!;
  if (!cidrContains(cidr, parsed)) {
    throw badRequest(`IP address ${ip} is not a valid IP for the specified subnet.`, 'InvalidIpForSubnet');
  }
  const mine = ac.own.has(key(subnet.id, ip));
  const usedByOther = subnet.allocations.has(ip) && !mine;
  const gatewayClash = ip === subnet.gatewayIp && !ac.mayUseGateway && !mine;
  if (usedByOther || gatewayClash || taken.has(key(subnet.id, ip))) {
    throw conflict('IpAddressAlreadyAllocated', `IP address ${ip} already allocated in subnet ${subnet.id}`);
  }
  taken.add(key(subnet.id, ip));
  return { subnetId: subnet.id, ipAddress: ip };
}

/** A new address from the subnet's pools, none of this decision's and none in use. */
function automaticIp(subnet: SubnetState, networkId: string, taken: Set<string>): FixedIp {
  const takenHere = new Set([...taken].filter((k) => k.startsWith(`${subnet.id}|`)).map((k) => k.slice(subnet.id.length + 1)));
  const ip = nextFreeIp(subnet, takenHere);
  if (ip === undefined) throw ipGenerationFailure(networkId);
  taken.add(key(subnet.id, ip));
  return { subnetId: subnet.id, ipAddress: ip };
}

/** Fixed IPs for the given requests (explicit addresses first, so automatic ones avoid them). */
export function resolveFixedIps(world: World, network: NetworkState, requests: FixedIpRequest[], ac: AddressContext): FixedIp[] {
  const taken = new Set<string>();
  const out: (FixedIp | undefined)[] = requests.map((r) =>
    r.ipAddress !== undefined ? explicitIp(world, network, { ...r, ipAddress: r.ipAddress }, ac, taken) : undefined);
  requests.forEach((r, i) => {
    if (r.ipAddress !== undefined) return;
    if (r.subnetId === undefined) throw invalidInput('fixed_ips entries need a subnet_id or an ip_address');
    out[i] = automaticIp(subnetOfNetwork(world, network, r.subnetId), network.id, taken);
  });
  return out as FixedIp[];
}

/** Neutron's default: one address from the first subnet (IPv4 before IPv6) that has one free. */
export function defaultFixedIps(world: World, network: NetworkState): FixedIp[] {
  const subnets = network.subnetIds.map((id) => world.subnets.get(id)).filter((s): s is SubnetState => s !== undefined);
  if (subnets.length === 0) return [];
  subnets.sort((a, b) => a.ipVersion - b.ipVersion);
  for (const subnet of subnets) {
    const ip = nextFreeIp(subnet, new Set());
    if (ip !== undefined) return [{ subnetId: subnet.id, ipAddress: ip }];
  }
  throw ipGenerationFailure(network.id);
}
