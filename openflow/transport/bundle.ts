// Applies a list of messages as one ONF bundle (OpenFlow 1.3 extension 230): open, add, barrier, commit, or discard.
import type { BundleCtrlType, ErrorMsg, OfpMessage } from '../messages/types.ts';
import { OpenFlowBatchError, OpenFlowBundleError, OpenFlowRequestError, type BatchFailure, type BundlePhase } from './errors.ts';
import type { Outgoing, RequestOptions } from './outgoing.ts';
import type { ReplyFor } from './replies.ts';

export interface BundleOptions extends RequestOptions {
  /** all or nothing (OFPBF_ATOMIC); default true */
  atomic?: boolean;
  /** apply in the given order (OFPBF_ORDERED); default true */
  ordered?: boolean;
}

/** What the bundle helper needs from a connection. */
export interface BundleTransport {
  request<M extends Outgoing>(msg: M, opts?: RequestOptions): Promise<ReplyFor<M['type']>>;
  apply(msgs: readonly Outgoing[], opts?: RequestOptions): Promise<void>;
  allocateXid(): number;
  watchErrors(xid: number, onError: (err: ErrorMsg) => void): void;
  unwatch(xid: number): void;
}

const NO_PROPERTIES = Buffer.alloc(0);

/**
 * Adds are pipelined and checked by a barrier before the commit: a switch (OVS among them) keeps
 * a bundle open after a failed add, and committing it would apply the rest, which is not what an
 * atomic caller wants. Inner messages carry the xid of their bundle_add, so an error the switch
 * reports against an inner message at commit time is still routed to its index.
 */
export async function runBundle(
  link: BundleTransport,
  bundleId: number,
  msgs: readonly Outgoing[],
  options: BundleOptions,
): Promise<void> {
  const flags = { atomic: options.atomic ?? true, ordered: options.ordered ?? true };
  const opts: RequestOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const control = (ctrlType: BundleCtrlType): Outgoing => ({ type: 'bundle_control', bundleId, ctrlType, ...flags, properties: NO_PROPERTIES });
  const fail = (phase: BundlePhase, failures: readonly BatchFailure[], cause: unknown): OpenFlowBundleError =>
    new OpenFlowBundleError(phase, bundleId, failures, cause instanceof Error ? cause : new Error(String(cause)));

  try {
    await link.request(control('open_request'), opts);
  } catch (e) {
    throw fail('open', [], e);
  }

  const adds = msgs.map((m): Outgoing => {
    const xid = link.allocateXid();
    const message = { ...m, xid } as OfpMessage;
    return { type: 'bundle_add', xid, bundleId, ...flags, message, properties: NO_PROPERTIES };
  });
  try {
    await link.apply(adds, opts);
  } catch (e) {
    await discard(link, control('discard_request'), opts);
    throw fail('add', e instanceof OpenFlowBatchError ? e.failures : [], e);
  }

  const failures: BatchFailure[] = [];
  adds.forEach((a, index) =>
    link.watchErrors(a.xid as number, (err) => failures.push({ index, error: new OpenFlowRequestError(msgs[index].type, a.xid as number, err) })),
  );
  try {
    await link.request(control('commit_request'), opts);
  } catch (e) {
    throw fail('commit', failures, e);
  } finally {
    for (const a of adds) link.unwatch(a.xid as number);
  }
}

/** Best effort: a failed bundle is also dropped by the switch when the connection closes. */
async function discard(link: BundleTransport, msg: Outgoing, opts: RequestOptions): Promise<void> {
  try {
    await link.request(msg, opts);
  } catch {
    /* the caller already has the error that matters */
  }
}

