// The port lifecycle (created -> bound -> wired -> ACTIVE; DOWN when its switch or interface goes away), used through the pure transition().
//
// Fed from the log: PortBoundToHost/PortUnboundFromHost -> BIND/UNBIND, SwitchPortObserved for the
// port's interface on its host -> INTERFACE_UP, PortWired (flows confirmed by a barrier) ->
// FLOWS_CONFIRMED, SwitchPortRemoved -> INTERFACE_DOWN, SwitchDisconnected -> SWITCH_DOWN,
// PortDeleted -> DELETE. Only `active` means Neutron status ACTIVE; every other state is DOWN.
import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

export interface PortLifecycleContext {
  portId: string;
  /** binding:host_id; null while unbound */
  host: string | null;
  /** OpenFlow port number of the interface on its host's switch, once seen */
  ofport: number | null;
}

export type PortLifecycleEvent =
  | { type: 'BIND'; host: string }
  | { type: 'UNBIND' }
  | { type: 'INTERFACE_UP'; host: string; ofport: number }
  | { type: 'INTERFACE_DOWN'; host: string }
  | { type: 'FLOWS_CONFIRMED'; host: string; ofport: number }
  | { type: 'SWITCH_DOWN'; host: string }
  | { type: 'DELETE' };

/** An event about another host than the port's binding (a stale observation) changes nothing. */
const onMyHost = ({ context, event }: { context: PortLifecycleContext; event: PortLifecycleEvent }) =>
  'host' in event && event.host === context.host;
/** A confirmation for an older interface (another ofport) does not make the current one ACTIVE. */
const confirmsCurrent = ({ context, event }: { context: PortLifecycleContext; event: PortLifecycleEvent }) =>
  event.type === 'FLOWS_CONFIRMED' && event.host === context.host && event.ofport === context.ofport;

export const portLifecycleMachine = setup({
  types: {
    context: {} as PortLifecycleContext,
    events: {} as PortLifecycleEvent,
    input: {} as { portId: string },
  },
  guards: { onMyHost, confirmsCurrent },
  actions: {
    bind: assign({ host: ({ event }) => (event.type === 'BIND' ? event.host : null), ofport: null }),
    unbind: assign({ host: null, ofport: null }),
    learnOfport: assign({ ofport: ({ context, event }) => (event.type === 'INTERFACE_UP' ? event.ofport : context.ofport) }),
    forgetOfport: assign({ ofport: null }),
  },
}).createMachine({
  id: 'port',
  context: ({ input }) => ({ portId: input.portId, host: null, ofport: null }),
  initial: 'created',
  on: {
    DELETE: { target: '.deleted' },
  },
  states: {
    created: {
      on: { BIND: { target: 'bound', actions: 'bind' } },
    },
    bound: {
      on: {
        BIND: { target: 'bound', actions: 'bind', reenter: true },
        UNBIND: { target: 'created', actions: 'unbind' },
        INTERFACE_UP: { target: 'wired', guard: 'onMyHost', actions: 'learnOfport' },
      },
    },
    wired: {
      on: {
        BIND: { target: 'bound', actions: 'bind' },
        UNBIND: { target: 'created', actions: 'unbind' },
        INTERFACE_UP: { guard: 'onMyHost', actions: 'learnOfport' },
        FLOWS_CONFIRMED: { target: 'active', guard: 'confirmsCurrent' },
        INTERFACE_DOWN: { target: 'down', guard: 'onMyHost', actions: 'forgetOfport' },
        SWITCH_DOWN: { target: 'down', guard: 'onMyHost' },
      },
    },
    active: {
      on: {
        BIND: { target: 'bound', actions: 'bind' },
        UNBIND: { target: 'created', actions: 'unbind' },
        // the interface came back with another number: its flows must be confirmed again
        INTERFACE_UP: { target: 'wired', guard: 'onMyHost', actions: 'learnOfport' },
        INTERFACE_DOWN: { target: 'down', guard: 'onMyHost', actions: 'forgetOfport' },
        SWITCH_DOWN: { target: 'down', guard: 'onMyHost' },
      },
    },
    down: {
      on: {
        BIND: { target: 'bound', actions: 'bind' },
        UNBIND: { target: 'created', actions: 'unbind' },
        INTERFACE_UP: { target: 'wired', guard: 'onMyHost', actions: 'learnOfport' },
        // flows re-confirmed after the switch came back, interface unchanged
        FLOWS_CONFIRMED: { target: 'active', guard: 'confirmsCurrent' },
      },
    },
    deleted: { type: 'final' },
  },
});

export type PortLifecycleSnapshot = SnapshotFrom<typeof portLifecycleMachine>;
export type PortLifecycleState = 'created' | 'bound' | 'wired' | 'active' | 'down' | 'deleted';

export function initialPortLifecycle(portId: string): PortLifecycleSnapshot {
  return initialTransition(portLifecycleMachine, { portId })[0];
}

/** The pure step: the next snapshot (never runs actors, never does I/O). */
export function stepPortLifecycle(snapshot: PortLifecycleSnapshot, event: PortLifecycleEvent): PortLifecycleSnapshot {
  return transition(portLifecycleMachine, snapshot, event)[0];
}

export function portLifecycleState(snapshot: PortLifecycleSnapshot): PortLifecycleState {
  return snapshot.value as PortLifecycleState;
}

/** Neutron's port status: ACTIVE only once its flows are confirmed on its switch. */
export function portStatusOf(snapshot: PortLifecycleSnapshot): 'ACTIVE' | 'DOWN' {
  return snapshot.value === 'active' ? 'ACTIVE' : 'DOWN';
}
