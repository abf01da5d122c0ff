// Which reply each OpenFlow request expects, and how multipart reply parts merge into one body.
import type {
  BarrierReply,
  BundleControl,
  EchoReply,
  FeaturesReply,
  GetConfigReply,
  MultipartReply,
  MultipartReplyBody,
  OfpMessage,
  OfpMessageType,
  RoleReply,
} from '../messages/types.ts';

/** Requests that the switch answers with a message of their own (spec 7.3). */
export interface ReplyMap {
  echo_request: EchoReply;
  features_request: FeaturesReply;
  get_config_request: GetConfigReply;
  barrier_request: BarrierReply;
  role_request: RoleReply;
  multipart_request: MultipartReply;
  bundle_control: BundleControl;
}

export type RepliedType = keyof ReplyMap;

/** What request(msg) resolves with: the reply, or nothing for messages checked by a barrier. */
export type ReplyFor<T extends OfpMessageType> = T extends RepliedType ? ReplyMap[T] : void;

const REPLY_TYPE: { [K in RepliedType]: ReplyMap[K]['type'] } = {
  echo_request: 'echo_reply',
  features_request: 'features_reply',
  get_config_request: 'get_config_reply',
  barrier_request: 'barrier_reply',
  role_request: 'role_reply',
  multipart_request: 'multipart_reply',
  bundle_control: 'bundle_control',
};

/** The reply type a request expects, or undefined when the switch answers only on error. */
export function expectedReplyType(requestType: OfpMessageType): OfpMessageType | undefined {
  return (REPLY_TYPE as Partial<Record<OfpMessageType, OfpMessageType>>)[requestType];
}

/** Bundle control requests are answered by the matching *_reply sub-type (ONF ext 230). */
const BUNDLE_REPLY = { open_request: 'open_reply', close_request: 'close_reply', commit_request: 'commit_reply', discard_request: 'discard_reply' } as const;

/** For a request whose reply type matched: is this really its answer? Returns a reason when not. */
export function replyMismatch(request: OfpMessage, reply: OfpMessage): string | undefined {
  if (request.type === 'bundle_control' && reply.type === 'bundle_control') {
    const want = (BUNDLE_REPLY as Record<string, string>)[request.ctrlType];
    if (reply.ctrlType !== want) return `bundle ${reply.ctrlType}, wanted ${want ?? 'no reply'}`;
    if (reply.bundleId !== request.bundleId) return `bundle id ${reply.bundleId}, wanted ${request.bundleId}`;
  }
  if (request.type === 'multipart_request' && reply.type === 'multipart_reply') {
    if (request.body.kind !== reply.body.kind) return `multipart ${reply.body.kind}, wanted ${request.body.kind}`;
  }
  return undefined;
}

/** Joins the parts of a multipart reply (spec 7.3.5: bodies of one kind split at entry boundaries). */
export function mergeMultipartBodies(parts: readonly MultipartReplyBody[]): MultipartReplyBody {
  const first = parts[0];
  if (parts.length === 1) return first;
  switch (first.kind) {
    case 'flow':
      return { kind: 'flow', flows: parts.flatMap((p) => (p.kind === 'flow' ? p.flows : [])) };
    case 'table':
      return { kind: 'table', tables: parts.flatMap((p) => (p.kind === 'table' ? p.tables : [])) };
    case 'port_stats':
      return { kind: 'port_stats', ports: parts.flatMap((p) => (p.kind === 'port_stats' ? p.ports : [])) };
    case 'port_desc':
      return { kind: 'port_desc', ports: parts.flatMap((p) => (p.kind === 'port_desc' ? p.ports : [])) };
    case 'group_desc':
      return { kind: 'group_desc', groups: parts.flatMap((p) => (p.kind === 'group_desc' ? p.groups : [])) };
    case 'meter_config':
      return { kind: 'meter_config', meters: parts.flatMap((p) => (p.kind === 'meter_config' ? p.meters : [])) };
    case 'unknown':
      return { kind: 'unknown', mpType: first.mpType, body: Buffer.concat(parts.map((p) => (p.kind === 'unknown' ? p.body : Buffer.alloc(0)))) };
    case 'desc':
    case 'aggregate':
      // single-entry bodies: a switch never splits them, keep the last if one did
      return parts[parts.length - 1];
    default: {
      const never: never = first;
      return never;
    }
  }
}
