// Ports the L3 service owns (router interfaces and gateways, floating IP holders): built as PortCreated events.
import type { DecideContext } from '../context.ts';
import { parseIp } from '../ip/address.ts';
import { networkNotFound } from '../network/access.ts';
import { chooseMac, ipGenerationFailure } from '../port/addresses.ts';
import { nextFreeIp } from '../subnet/allocation.ts';
import type { PortCreated } from '../events.ts';
import type { FixedIp } from '../port/state.ts';
import type { SubnetState } from '../subnet/state.ts';
import type { World } from '../world.ts';

const NOTHING_TAKEN: ReadonlySet<string> = new Set();

/**
 * An address of the network for a service port: from the candidate subnets (default: all of the
 * network's), IPv4 ones first; `taken` holds addresses this decision already chose.
 */
export function allocateOnNetwork(
  world: World, networkId: string, candidates?: readonly string[], taken: ReadonlySet<string> = NOTHING_TAKEN,
): FixedIp {
  const ids = candidates ?? world.networks.get(networkId)?.subnetIds ?? [];
  const subnets = ids.map((id) => world.subnets.get(id)).filter((s): s is SubnetState => s !== undefined);
  subnets.sort((a, b) => a.ipVersion - b.ipVersion);
  for (const subnet of subnets) {
    const ip = nextFreeIp(subnet, taken);
    if (ip !== undefined) return { subnetId: subnet.id, ipAddress: ip };
  }
  throw ipGenerationFailure(networkId);
}

/** True when the address lies in one of the subnet's allocation pools. */
export function inPools(subnet: SubnetState, address: string): boolean {
  const ip = parseIp(address);
  return ip !== undefined && ip.version === subnet.ipVersion && subnet.pools.some((p) => ip.value >= p.start && ip.value <= p.end);
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
  const network = world.networks.get(req.networkId);
  if (network === undefined) throw networkNotFound(req.networkId);
  return {
    type: 'PortCreated',
    data: {
      id: req.id,
      projectId: req.projectId,
      networkId: req.networkId,
      name: '',
      description: '',
      adminStateUp: true,
      macAddress: chooseMac(network, ctx, undefined),
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
