// Provider segments: validate what an admin asked for, allocate a VNI for tenant networks, keep them unique.
import { conflict, invalidInput, unavailable } from '../errors.ts';
import type { DecideContext } from '../context.ts';
import { MAX_VNI } from '../context.ts';
import type { World } from '../world.ts';
import type { ProviderRequest } from './commands.ts';
import type { Segment } from './state.ts';

/** 802.1Q VLAN ids 1-4094 (0 and 4095 are reserved). */
const MIN_VLAN_ID = 1;
const MAX_VLAN_ID = 4094;

export function segmentKey(segment: Segment): string {
  switch (segment.networkType) {
    case 'vxlan':
      return `vxlan:${segment.segmentationId}`;
    case 'vlan':
      return `vlan:${segment.physicalNetwork}:${segment.segmentationId}`;
    case 'flat':
      return `flat:${segment.physicalNetwork}`;
  }
}

function inUseError(segment: Segment): Error {
  switch (segment.networkType) {
    case 'vxlan':
      return conflict('TunnelIdInUse', `Unable to create the network. The tunnel ID ${segment.segmentationId} is in use.`);
    case 'vlan':
      return conflict('VlanIdInUse',
        `Unable to create the network. The VLAN ${segment.segmentationId} on physical network ${segment.physicalNetwork} is in use.`);
    case 'flat':
      return conflict('FlatNetworkInUse',
        `Unable to create the flat network. Physical network ${segment.physicalNetwork} is in use.`);
  }
}

/** The next free VNI of the configured range, searching from the world's cursor and wrapping once. */
export function allocateVni(world: World, ctx: DecideContext): number {
  const { min, max } = ctx.vniRange;
  const size = max - min + 1;
  const start = world.nextVni >= min && world.nextVni <= max ? world.nextVni : min;
  for (let i = 0; i < size; i++) {
    const vni = min + ((start - min + i) % size);
    if (!world.segments.has(`vxlan:${vni}`)) return vni;
  }
  throw unavailable('NoNetworkAvailable', 'Unable to create the network. No tenant network is available for allocation.');
}

function explicitSegment(request: ProviderRequest): Segment {
  const type = request.networkType;
  const physnet = request.physicalNetwork ?? null;
  const id = request.segmentationId ?? null;
  if (type === undefined) throw invalidInput('provider:network_type is required with other provider attributes');
  if (type === 'vxlan') {
    if (physnet !== null) throw invalidInput('provider:physical_network specified for vxlan network');
    if (id !== null && (id < 1 || id > MAX_VNI)) throw invalidInput(`segmentation_id out of range (1 through ${MAX_VNI})`);
    return { networkType: type, physicalNetwork: null, segmentationId: id };
  }
  if (physnet === null || physnet === '') throw invalidInput(`provider:physical_network required for ${type} provider network`);
  if (type === 'flat') {
    if (id !== null) throw invalidInput('provider:segmentation_id specified for flat provider network');
    return { networkType: type, physicalNetwork: physnet, segmentationId: null };
  }
  if (id === null || id < MIN_VLAN_ID || id > MAX_VLAN_ID) {
    throw invalidInput(`provider:segmentation_id out of range (${MIN_VLAN_ID} through ${MAX_VLAN_ID})`);
  }
  return { networkType: type, physicalNetwork: physnet, segmentationId: id };
}

/** The segment a new network gets: the requested one if free, else a fresh VXLAN segment. */
export function resolveSegment(world: World, ctx: DecideContext, request: ProviderRequest | undefined): Segment {
  const requested = request === undefined ? undefined : explicitSegment(request);
  if (requested === undefined || (requested.networkType === 'vxlan' && requested.segmentationId === null)) {
    return { networkType: 'vxlan', physicalNetwork: null, segmentationId: allocateVni(world, ctx) };
  }
  if (world.segments.has(segmentKey(requested))) throw inUseError(requested);
  return requested;
}
