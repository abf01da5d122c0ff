// The switch session (connecting -> handshaking -> syncing -> in sync -> disconnected), used through the pure transition().
//
// One per switch connection, driven by the controller: TCP accepted (connecting), HELLO agreed on
// OpenFlow 1.3 (handshaking: features request sent), FEATURES_REPLY names the datapath (syncing:
// dump flows, one atomic bundle to the desired table, barrier), BARRIER_REPLY after the bundle
// (in sync). In steady state every diff sent goes back to syncing until its barrier returns. An
// error from the switch forces a full resync; too many in a row give up the connection.
import { assign, initialTransition, setup, transition, type SnapshotFrom } from 'xstate';

/** Consecutive failed syncs after which the controller drops the connection (the switch reconnects). */
export const MAX_SYNC_FAILURES = 3;

export interface SwitchSessionContext {
  /** datapath id from the features reply, 16 lowercase hex digits; null until known */
  datapathId: string | null;
  /** completed syncs (full or incremental) on this connection */
  syncs: number;
  /** failures since the last completed sync */
  failures: number;
  /** why the session last disconnected or failed */
  lastError: string | null;
}

export type SwitchSessionEvent =
  | { type: 'CONNECTED' }
  | { type: 'HELLO_OK' }
  | { type: 'HELLO_FAILED'; reason: string }
  | { type: 'FEATURES_REPLY'; datapathId: string }
  | { type: 'CHANGES_SENT' }
  | { type: 'BARRIER_REPLY' }
  | { type: 'SWITCH_ERROR'; reason: string }
  | { type: 'DISCONNECTED'; reason: string };

const DATAPATH_ID = /^[0-9a-f]{16}$/;

export const switchSessionMachine = setup({
  types: { context: {} as SwitchSessionContext, events: {} as SwitchSessionEvent },
  guards: {
    validDatapath: ({ event }) => event.type === 'FEATURES_REPLY' && DATAPATH_ID.test(event.datapathId),
    givingUp: ({ context }) => context.failures + 1 >= MAX_SYNC_FAILURES,
  },
  actions: {
    learnDatapath: assign({ datapathId: ({ event, context }) => (event.type === 'FEATURES_REPLY' ? event.datapathId : context.datapathId) }),
    synced: assign({ syncs: ({ context }) => context.syncs + 1, failures: 0 }),
    failed: assign({
      failures: ({ context }) => context.failures + 1,
      lastError: ({ event, context }) => ('reason' in event ? event.reason : context.lastError),
    }),
    noteError: assign({ lastError: ({ event, context }) => ('reason' in event ? event.reason : context.lastError) }),
    reset: assign({ syncs: 0, failures: 0 }),
  },
}).createMachine({
  id: 'switchSession',
  context: { datapathId: null, syncs: 0, failures: 0, lastError: null },
  initial: 'connecting',
  on: {
    DISCONNECTED: { target: '.disconnected', actions: 'noteError' },
  },
  states: {
    connecting: {
      on: {
        HELLO_OK: 'handshaking',
        HELLO_FAILED: { target: 'disconnected', actions: 'noteError' },
      },
    },
    handshaking: {
      on: {
        FEATURES_REPLY: [
          { target: 'syncing', guard: 'validDatapath', actions: 'learnDatapath' },
          { target: 'disconnected', actions: assign({ lastError: 'features reply without a valid datapath id' }) },
        ],
      },
    },
    syncing: {
      on: {
        BARRIER_REPLY: { target: 'inSync', actions: 'synced' },
        CHANGES_SENT: 'syncing',
        SWITCH_ERROR: [
          { target: 'disconnected', guard: 'givingUp', actions: 'failed' },
          { target: 'syncing', actions: 'failed', reenter: true },
        ],
      },
    },
    inSync: {
      on: {
        CHANGES_SENT: 'syncing',
        SWITCH_ERROR: { target: 'syncing', actions: 'failed' },
      },
    },
    disconnected: {
      on: { CONNECTED: { target: 'connecting', actions: 'reset' } },
    },
  },
});

export type SwitchSessionSnapshot = SnapshotFrom<typeof switchSessionMachine>;
export type SwitchSessionState = 'connecting' | 'handshaking' | 'syncing' | 'inSync' | 'disconnected';

export function initialSwitchSession(): SwitchSessionSnapshot {
  return initialTransition(switchSessionMachine)[0];
}

/** The pure step: the next snapshot (never runs actors, never does I/O). */
export function stepSwitchSession(snapshot: SwitchSessionSnapshot, event: SwitchSessionEvent): SwitchSessionSnapshot {
  return transition(switchSessionMachine, snapshot, event)[0];
}

export function switchSessionState(snapshot: SwitchSessionSnapshot): SwitchSessionState {
  return snapshot.value as SwitchSessionState;
}
