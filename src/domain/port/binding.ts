// Port binding changes as events: bound to a host (or re-bound with a new profile), or unbound.
import type { PortEvent } from '../events.ts';
import type { PortState } from './state.ts';

function sameProfile(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** PUT's binding:host_id / binding:profile: nothing, PortBoundToHost, or PortUnboundFromHost. */
export function bindingEvents(port: PortState, hostId: string | undefined, profile: Record<string, unknown> | undefined, at: string): PortEvent[] {
  const nextHost = hostId ?? port.hostId;
  const nextProfile = profile ?? port.bindingProfile;
  if (nextHost === port.hostId && sameProfile(nextProfile, port.bindingProfile)) return [];
  if (nextHost === '') return [{ type: 'PortUnboundFromHost', data: { id: port.id, profile: nextProfile, updatedAt: at } }];
  return [{ type: 'PortBoundToHost', data: { id: port.id, hostId: nextHost, profile: nextProfile, updatedAt: at } }];
}
