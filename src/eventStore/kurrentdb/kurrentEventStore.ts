// The event log on KurrentDB (or EventStoreDB) through @kurrent/kurrentdb-client.
import { BACKWARDS, END, KurrentDBClient, STREAM_STATE, excludeSystemEvents } from '@kurrent/kurrentdb-client';
import {
  START,
  StoreUnavailableError,
  WrongExpectedVersionError,
  type AppendResult,
  type EventStore,
  type ExpectedRevision,
  type NewEvent,
  type ReadAllOptions,
  type RecordedEvent,
  type StreamAppend,
  type Subscription,
} from '../types.ts';
import { checkAppendMany, checkReadAllOptions, checkReadStreamOptions, checkStreamName, prepareAppend } from '../validate.ts';
import { fromResolved, isSystemEvent, toEventData, toReadPosition, toRecordData, toStreamState } from './convert.ts';
import { consistencyViolation, isStreamNotFound, mapKurrentError } from './errors.ts';
import { KurrentSubscription } from './kurrentSubscription.ts';

/** The client warns about esdb://; it means the same server, so we hand it the current scheme. */
function normaliseScheme(url: string): string {
  return url.replace(/^esdb(\+discover)?:\/\//, (_, discover: string | undefined) => `kurrentdb${discover ?? ''}://`);
}

export class KurrentEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<KurrentSubscription>();

  constructor(private readonly client: KurrentDBClient) {}

  /** Connects lazily: a bad URL fails here, an unreachable server on the first call. */
  static connect(connectionString: string): KurrentEventStore {
    try {
      return new KurrentEventStore(KurrentDBClient.connectionString(normaliseScheme(connectionString)));
    } catch (error) {
      throw new StoreUnavailableError(`bad KurrentDB connection string: ${(error as Error).message}`, error);
    }
  }

  private ensureOpen(): void {
    if (this.closed) throw new StoreUnavailableError('event store is closed');
  }

  async append(stream: string, events: NewEvent[], expectedRevision: ExpectedRevision): Promise<AppendResult> {
    this.ensureOpen();
    prepareAppend(stream, events, expectedRevision);
    const data = events.map(toEventData);
    try {
      const result = await this.client.appendToStream(stream, data, { streamState: toStreamState(expectedRevision) });
      if (result.position === undefined) throw new StoreUnavailableError('KurrentDB acknowledged an append without a position');
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position.commit };
    } catch (error) {
      throw mapKurrentError(error, stream, expectedRevision);
    }
  }

  /**
   * One part goes through appendToStream. Several go through appendRecords (KurrentDB's atomic
   * multi-stream append, server 25.1 and later) with one consistency check per stream: the first
   * part naming a stream carries its expected revision; later parts of that stream follow on.
   */
  async appendMany(appends: StreamAppend[]): Promise<AppendResult[]> {
    this.ensureOpen();
    checkAppendMany(appends);
    for (const a of appends) prepareAppend(a.stream, a.events, a.expectedRevision);
    if (appends.length === 1) return [await this.append(appends[0].stream, appends[0].events, appends[0].expectedRevision)];
    const checks = new Map<string, ExpectedRevision>();
    for (const a of appends) if (!checks.has(a.stream)) checks.set(a.stream, a.expectedRevision);
    const records = appends.flatMap((a) => a.events.map((event) => ({ streamName: a.stream, record: toRecordData(event) })));
    try {
      const result = await this.client.appendRecords(
        records,
        [...checks].map(([streamName, expected]) => ({ type: STREAM_STATE, streamName, expectedState: toStreamState(expected) })),
      );
      const lastRevision = new Map(result.responses.map((r) => [r.streamName, r.revision]));
      return appends.map((a) => ({ nextExpectedRevision: lastRevision.get(a.stream) ?? -1n, position: result.position }));
    } catch (error) {
      const violated = consistencyViolation(error);
      if (violated) throw new WrongExpectedVersionError(violated.streamName, checks.get(violated.streamName) ?? 'any', violated.actual);
      throw mapKurrentError(error);
    }
  }

  async readStream(stream: string, options: { fromRevision?: bigint; maxCount?: number } = {}): Promise<RecordedEvent[]> {
    this.ensureOpen();
    checkStreamName(stream);
    checkReadStreamOptions(options);
    const out: RecordedEvent[] = [];
    try {
      const read = this.client.readStream(stream, { fromRevision: options.fromRevision ?? 'start', maxCount: options.maxCount });
      for await (const resolved of read) if (resolved.event) out.push(fromResolved(resolved));
    } catch (error) {
      if (isStreamNotFound(error)) return [];
      throw mapKurrentError(error);
    }
    return out;
  }

  /** The client streams $all over gRPC, so nothing is loaded at once; system events are dropped. */
  async *readAll(options: ReadAllOptions = {}): AsyncIterable<RecordedEvent> {
    this.ensureOpen();
    checkReadAllOptions(options);
    const from = options.fromPosition ?? START;
    let remaining = options.maxCount ?? Number.POSITIVE_INFINITY;
    if (remaining <= 0) return;
    try {
      for await (const resolved of this.client.readAll({ fromPosition: toReadPosition(from), filter: excludeSystemEvents() })) {
        if (isSystemEvent(resolved)) continue;
        const event = fromResolved(resolved);
        if (event.position <= from) continue;
        if (options.toPosition !== undefined && event.position > options.toPosition) return;
        yield event;
        if (--remaining <= 0) return;
      }
    } catch (error) {
      throw mapKurrentError(error);
    }
  }

  subscribe(fromPosition: bigint = START): Subscription {
    this.ensureOpen();
    checkReadAllOptions({ fromPosition });
    const source = this.client.subscribeToAll({ fromPosition: toReadPosition(fromPosition), filter: excludeSystemEvents() });
    const subscription = new KurrentSubscription(source, fromPosition, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<bigint> {
    this.ensureOpen();
    try {
      const read = this.client.readAll({ fromPosition: END, direction: BACKWARDS, filter: excludeSystemEvents() });
      for await (const resolved of read) {
        if (!isSystemEvent(resolved)) return fromResolved(resolved).position;
      }
      return START;
    } catch (error) {
      throw mapKurrentError(error);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }
}
