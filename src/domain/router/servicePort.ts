// Ports the L3 service owns (router interfaces and gateways, floating IP holders): built as PortCreated events.
import type { DecideContext } from '../context.ts';
import { HTTP_CONFLICT, NeutronError } from '../errors.ts';
import { formatIp, parseIp } from '../ip/address.ts';
import type { PortCreated } from '../events.ts';
import type { FixedIp } from '../port/state.ts';
import type { SubnetState } from '../subnet/state.ts';
import type { World } from '../world.ts';

/** Neutron's default base_mac prefix fa:16:3e (locally administered). */
const MAC_PREFIX = 'fa:16:3e';
const MAC_TAIL_MASK = 0xff_ff_ff;
/** Give up on a random MAC after this many collisions inside one network. */
const MAC_ATTEMPTS = 16;

export function ipGenerationFailure(networkId: string): NeutronError {
  return new NeutronError('IpAddressGenerationFailure', HTTP_CONFLICT, `No more IP addresses available on network ${networkId}.`);
}

/** The lowest free address of the subnet's pools (not its gateway), or undefined when full. */
export function freeAddress(subnet: SubnetState): string | undefined {
  for (const pool of subnet.pools) {
    for (let value = pool.start; value <= pool.end; value++) {
      const ip = formatIp({ version: subnet.ipVersion, value });
      if (ip !== subnet.gatewayIp && !subnet.allocations.has(ip)) return ip;
    }
  }
  return undefined;
}

/** An address of the network for a service port: from the given subnet, else the first IPv4 one with room. */
export function allocateOnNetwork(world: World, networkId: string, subnetId?: string): FixedIp {
  const network = world.networks.get(networkId);
  const ids = subnetId !== undefined ? [subnetId] : (network?.subnetIds ?? []);
  const subnets = ids.map((id) => world.subnets.get(id)).filter((s): s is SubnetState => s !== undefined);
  subnets.sort((a, b) => a.ipVersion - b.ipVersion);
  for (const subnet of subnets) {
    const ip = freeAddress(subnet);
    if (ip !== undefined) return { subnetId: subnet.id, ipAddress: ip };
  }
  throw ipGenerationFailure(networkId);
}

/** True when the address lies in one of the subnet's allocation pools. */
export function inPools(subnet: SubnetState, address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && ip.version === subnet.ipVersion && subnet.pools.some((p) => ip.value >= p.start && ip.value <= p.end);
}

function newMac(world: World, networkId: string, ctx: DecideContext): string {
  const macs = world.networks.get(networkId)?.macs;
  for (let i = 0; i < MAC_ATTEMPTS; i++) {
    const tail = ctx.randomUint32() & MAC_TAIL_MASK;
    const bytes = [16, 8, 0].map((shift) => ((tail >> shift) & 0xff).toString(16).padStart(2, '0'));
    const mac = `${MAC_PREFIX}:${bytes.join(':')}`;
    if (macs === undefined || !macs.has(mac)) return mac;
  }
  throw new NeutronError('MacAddressGenerationFailure', HTTP_CONFLICT, `Unable to generate unique mac on network ${networkId}.`);
}

export interface ServicePortRequest {
  id: string;
  /** '' for gateway and floating IP ports, as Neutron leaves them without a project. */
  projectId: string;
  networkId: string;
  deviceId: string;
  deviceOwner: string;
  fixedIps: FixedIp[];
  at: string;
}

/** A trusted network:* port: no security groups, no port security filtering. */
export function servicePortCreated(world: World, ctx: DecideContext, req: ServicePortRequest): PortCreated {
  return {
    type: 'PortCreated',
    data: {
      id: req.id,
      projectId: req.projectId,
      networkId: req.networkId,
      name: '',
      description: '',
      adminStateUp: true,
      macAddress: newMac(world, req.networkId, ctx),
      fixedIps: req.fixedIps,
      deviceId: req.deviceId,
      deviceOwner: req.deviceOwner,
      bindingProfile: {},
      vnicType: 'normal',
      portSecurityEnabled: false,
      allowedAddressPairs: [],
      securityGroups: [],
      tags: [],
      createdAt: req.at,
      updatedAt: req.at,
    },
  };
}
