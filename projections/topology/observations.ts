// Switch observations the controller appends to the log, so desired flows and port status are a function of the log alone.
//
// To add them to the domain union (src/domain/events.ts): `export type { SwitchObservation } from
// '../../projections/topology/observations.ts'` is not wanted there (domain must not depend on
// projections), so copy the `Ev<...>` lines below into events.ts, add them to a `SwitchEvent` union,
// and route them to the stream `switch-<host>` (streamOf). isDomainEvent() may keep skipping them:
// deciders do not need them, projections read them from here.

type Ev<T extends string, D> = { type: T; data: D };

/** The switch of `host` finished the OpenFlow handshake (features reply carried this datapath id). */
export type SwitchConnected = Ev<'SwitchConnected', { host: string; datapathId: string; at: string }>;
/** The OpenFlow connection to the switch of `host` closed. */
export type SwitchDisconnected = Ev<'SwitchDisconnected', { host: string; at: string }>;
/** Port description / port status: the interface `name` has OpenFlow port number `ofport` on br-int. */
export type SwitchPortObserved = Ev<'SwitchPortObserved', { host: string; name: string; ofport: number; at: string }>;
/** Port status (delete), or absent from a fresh port description: the interface is gone. */
export type SwitchPortRemoved = Ev<'SwitchPortRemoved', { host: string; name: string; at: string }>;
/** The desired flows of `host` are installed and confirmed by a barrier. */
export type SwitchInSync = Ev<'SwitchInSync', { host: string; at: string }>;
/** The flows of port `id` are confirmed on its switch (barrier after the batch that carried them). */
export type PortWired = Ev<'PortWired', { id: string; host: string; ofport: number; at: string }>;

/**
 * An ARP from a physical network (seen on `host`'s bridge_mappings port) showed `ip` at `mac`, new or
 * changed: the external neighbor table every host on that network sends through (issue 5).
 */
export type ExternalNeighborObserved = Ev<'ExternalNeighborObserved', { host: string; networkId: string; ip: string; mac: string; at: string }>;

export type SwitchObservation =
  | ExternalNeighborObserved
  | SwitchConnected
  | SwitchDisconnected
  | SwitchPortObserved
  | SwitchPortRemoved
  | SwitchInSync
  | PortWired;

export type SwitchObservationType = SwitchObservation['type'];

/** The stream an observation belongs to: one per switch. */
export const switchStream = (host: string): string => `switch-${host}`;

const OBSERVATION_TYPES: ReadonlySet<string> = new Set<SwitchObservationType>([
  'ExternalNeighborObserved', 'SwitchConnected', 'SwitchDisconnected', 'SwitchPortObserved', 'SwitchPortRemoved', 'SwitchInSync', 'PortWired',
]);

export function isSwitchObservation(event: { type: string }): event is SwitchObservation {
  return OBSERVATION_TYPES.has(event.type);
}
