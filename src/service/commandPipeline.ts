// Serialises decisions over the current world and makes each command's events durable before it answers.
//
// esdn is the single writer of its log: decisions run one at a time (synchronously, in this process)
// over a world that already holds every decided-but-not-yet-durable event, so concurrent intents see
// each other (no duplicate IP, MAC or VNI) without waiting for the disk. Each command's events are
// appended as one atomic unit (appendMany: every stream it touches, each with its exact expected
// revision, events in decision order), so a command is never half-recorded, and the store's group
// commit batches concurrent commands into one fsync in decision order.
import type { Command } from '../domain/commands.ts';
import type { DecideContext } from '../domain/context.ts';
import { decide } from '../domain/decide.ts';
import { unavailable } from '../domain/errors.ts';
import type { DomainEvent } from '../domain/events.ts';
import { evolve } from '../domain/evolve.ts';
import { streamOf } from '../domain/streams.ts';
import type { World } from '../domain/world.ts';
import type { Actor, EventStore, StreamAppend } from '../eventStore/types.ts';
import { catchUp } from './catchUp.ts';
import { randomUUID } from 'node:crypto';

export interface CommandMeta {
  requestId: string;
  actor: Actor;
  /** Defaults to the request id. */
  correlationId?: string;
  causationId?: string;
}

export interface Executed {
  events: DomainEvent[];
  /** The world right after this command's events (and before any later command's). */
  world: World;
}

export class CommandPipeline {
  private world: World;
  private revisions: Map<string, bigint>;
  private readonly inflight = new Set<Promise<unknown>>();
  private rebuilding: Promise<void> | undefined;
  private stopped = false;
  /** The last command's appends (only awaited with sequentialAppends). */
  private previous: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    private readonly ctx: DecideContext,
    initial: { world: World; revisions: Map<string, bigint> },
    private readonly onRebuild: (error: unknown) => void = () => {},
    /**
     * Replay must see events in decision order. A store that writes appends in arrival order (SQLite's
     * group commit) needs nothing more; a store whose concurrent appends may land in any order
     * (KurrentDB over gRPC) needs each command's appends to wait for the previous command's.
     */
    private readonly sequentialAppends = false,
  ) {
    this.world = initial.world;
    this.revisions = initial.revisions;
  }

  current(): World {
    return this.world;
  }

  execute(command: Command, meta: CommandMeta): Promise<Executed> {
    return this.executeAll([command], meta);
  }

  /**
   * Several intents as one (Neutron's bulk create): each is decided over the world the previous
   * ones leave; if any is refused, none is recorded.
   */
  async executeAll(commands: Command[], meta: CommandMeta): Promise<Executed> {
    if (this.rebuilding !== undefined) await this.waitForRebuild();
    if (this.stopped) throw unavailable('ServiceUnavailable', 'esdn is shutting down.');
    const events: DomainEvent[] = [];
    let world = this.world;
    for (const command of commands) {
      for (const event of decide(command, world, this.ctx)) {
        events.push(event);
        world = evolve(world, event);
      }
    }
    if (events.length === 0) return { events, world };
    const appends = this.planAppends(events, meta, commands[0].at);
    // Only now: a bug above (an event without a stream) must leave the world as the log has it.
    this.world = world;
    const appended = this.sequentialAppends
      ? this.previous.then(() => this.store.appendMany(appends)) // a failure fails later commands too: they were decided over it
      : (async () => this.store.appendMany(appends))(); // sync throws become rejections
    this.previous = appended;
    this.inflight.add(appended);
    try {
      await appended;
    } catch (error) {
      this.rebuildAfter(error);
      throw unavailable('ServiceUnavailable', 'The event log could not record the change; nothing was changed. Retry later.');
    } finally {
      this.inflight.delete(appended);
    }
    return { events, world };
  }

  private async waitForRebuild(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), REBUILD_WAIT_MS); });
    const outcome = await Promise.race([this.rebuilding, timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout' || this.rebuilding !== undefined) {
      throw unavailable('ServiceUnavailable', 'The event log is unavailable; esdn is recovering. Retry later.');
    }
  }

  /** Waits for in-flight appends; later commands are refused. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([...this.inflight]);
  }

  /**
   * Cuts the command's events into runs of one stream, in decision order (a stream may come back in
   * a later run), each run expecting the revision the runs before it leave.
   */
  private planAppends(events: DomainEvent[], meta: CommandMeta, at: string): StreamAppend[] {
    const parts: StreamAppend[] = [];
    for (const event of events) {
      const stream = streamOf(event);
      let part = parts[parts.length - 1];
      if (part === undefined || part.stream !== stream) {
        const last = this.revisions.get(stream);
        part = { stream, events: [], expectedRevision: last === undefined ? 'no_stream' : last };
        parts.push(part);
      }
      part.events.push({
        id: randomUUID(),
        type: event.type,
        data: event.data,
        metadata: {
          correlationId: meta.correlationId ?? meta.requestId,
          causationId: meta.causationId ?? meta.requestId,
          actor: meta.actor,
          requestId: meta.requestId,
          at,
        },
      });
      this.revisions.set(stream, (this.revisions.get(stream) ?? -1n) + 1n);
    }
    return parts;
  }

  /**
   * An append failed: the in-memory world holds events the log may not. Stop deciding, let every
   * in-flight append settle, then rebuild world and revisions from the log itself.
   */
  private rebuildAfter(error: unknown): void {
    if (this.rebuilding !== undefined) return;
    this.onRebuild(error);
    this.rebuilding = (async () => {
      while (!this.stopped) {
        await Promise.allSettled([...this.inflight]);
        try {
          const caught = await catchUp(this.store);
          this.world = caught.world;
          this.revisions = caught.revisions;
          this.previous = Promise.resolve();
          return;
        } catch {
          // The log is still unreachable: keep refusing (callers wait) and try again shortly.
          await new Promise((resolve) => setTimeout(resolve, REBUILD_RETRY_MS));
        }
      }
    })().finally(() => {
      this.rebuilding = undefined;
    });
  }
}

/** How long a command waits for a rebuild before it is refused with 503. */
const REBUILD_WAIT_MS = 5000;
/** Pause between attempts to re-read an unreachable log after a failed append. */
const REBUILD_RETRY_MS = 1000;
