// The gateway scheduler's decision event: which host carries a router's external gateway (SNAT, centralized floating IPs), and why.
//
// A decision, not an intent: the controller's gateway scheduler (src/controller/gatewayScheduler/)
// appends it to the router's own gateway stream, and projections read the gateway host only from
// it, so the flows of every host at any past position follow from the log alone.

type Ev<T extends string, D> = { type: T; data: D };

/**
 * Why the scheduler decided:
 * - gateway_set: the router got a gateway (or a new one) and had no host;
 * - host_available: no host was eligible before, now one is;
 * - host_removed: the host was deregistered;
 * - host_ineligible: the host's bridge_mappings no longer map the external network's physical network;
 * - host_unavailable: the host's switch stayed disconnected longer than --gateway-failover-after.
 */
export const GATEWAY_SCHEDULE_REASONS = ['gateway_set', 'host_available', 'host_removed', 'host_ineligible', 'host_unavailable'] as const;
export type GatewayScheduleReason = (typeof GATEWAY_SCHEDULE_REASONS)[number];

export interface GatewayHostScheduledData {
  /** the router (named `id` as in every router event, so the audit's history of the router lists it) */
  id: string;
  /** the chosen host; null when no registered host maps the physical network (recorded once, until one does) */
  host: string | null;
  /** the host the gateway leaves, when it had one */
  previousHost?: string;
  reason: GatewayScheduleReason;
  /** the external network's physical network the host must map; null when the network has none */
  physicalNetwork: string | null;
  /** a sentence for people (e.g. how long the switch was down) */
  detail?: string;
  at: string;
}

export type RouterGatewayHostScheduled = Ev<'RouterGatewayHostScheduled', GatewayHostScheduledData>;

/** The stream of a router's scheduling decisions; only the scheduler writes there. */
export const gatewayStream = (routerId: string): string => `gateway-${routerId}`;
