// The application service the API and main.ts use: catch up from the log, execute intents, read the world, stop.
import type { Command } from '../domain/commands.ts';
import type { DecideContext, VniRange } from '../domain/context.ts';
import { unavailable } from '../domain/errors.ts';
import { emptyWorld, type World } from '../domain/world.ts';
import type { EventStore } from '../eventStore/types.ts';
import { catchUp } from './catchUp.ts';
import { CommandPipeline, type CommandMeta, type Executed } from './commandPipeline.ts';
import { randomContext } from './randomContext.ts';

export interface NeutronServiceOptions {
  store: EventStore;
  /** VNIs for tenant networks; default 1-16777215. */
  vniRange?: VniRange;
  /** Injected randomness and ids; default cryptographic (tests pass seededContext()). */
  context?: DecideContext;
  /**
   * Wait for each command's appends before issuing the next command's: needed when the store may
   * reorder concurrent appends (KurrentDB); SQLite writes in arrival order and does not need it.
   */
  sequentialAppends?: boolean;
  /** Called when an append failed and the world is being rebuilt from the log (for logging). */
  onRebuild?: (error: unknown) => void;
}

export interface NeutronService {
  /** Reads the whole log into the world; call once before serving. */
  start(): Promise<{ eventCount: number; position: bigint }>;
  /** Finishes in-flight appends and refuses new intents; does not close the store. */
  stop(): Promise<void>;
  /** The current world, including decided events whose append is still in flight. */
  world(): World;
  /** Decides, records durably, answers: the events and the world right after them. */
  execute(command: Command, meta: CommandMeta): Promise<Executed>;
  /** All or nothing: each command decided over the previous ones' events (bulk create). */
  executeAll(commands: Command[], meta: CommandMeta): Promise<Executed>;
}

export function createNeutronService(options: NeutronServiceOptions): NeutronService {
  const ctx = options.context ?? randomContext(options.vniRange);
  let pipeline: CommandPipeline | undefined;
  return {
    async start() {
      const caught = await catchUp(options.store);
      pipeline = new CommandPipeline(options.store, ctx, caught, options.onRebuild, options.sequentialAppends);
      return { eventCount: caught.eventCount, position: caught.position };
    },
    async stop() {
      await pipeline?.stop();
    },
    world() {
      return pipeline?.current() ?? emptyWorld();
    },
    execute(command, meta) {
      if (pipeline === undefined) return Promise.reject(unavailable('ServiceUnavailable', 'esdn is starting.'));
      return pipeline.execute(command, meta);
    },
    executeAll(commands, meta) {
      if (pipeline === undefined) return Promise.reject(unavailable('ServiceUnavailable', 'esdn is starting.'));
      return pipeline.executeAll(commands, meta);
    },
  };
}

export type { CommandMeta, Executed };
