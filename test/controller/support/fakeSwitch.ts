// In-memory stand-ins for the reconciler's switch connections: what they were asked, and failures no real switch gives on demand.
import { EventEmitter } from 'node:events';
import type { SwitchConnection } from '../../../openflow/connection.ts';
import type { MultipartReplyBody, MultipartRequestBody, PortDesc } from '../../../openflow/messages/types.ts';
import { ConnectionClosedError } from '../../../openflow/transport/errors.ts';
import type { Outgoing } from '../../../openflow/transport/outgoing.ts';

/** A switch that answers everything and holds no flows (every full sync re-adds them all); counts what it was sent. */
export class FakeSwitch extends EventEmitter {
  state = 'ready';
  dumps = 0;
  /** flow_mods per bundle, in order */
  readonly bundles: number[] = [];
  /** flow_mods applied outside bundles (diff slices) */
  applied = 0;
  constructor(readonly datapathId: bigint, private readonly ports: () => PortDesc[] = () => []) {
    super();
  }
  async multipart(body: MultipartRequestBody): Promise<MultipartReplyBody> {
    if (body.kind === 'port_desc') return { kind: 'port_desc', ports: this.ports() };
    this.dumps += 1;
    return { kind: 'flow', flows: [] };
  }
  async bundle(msgs: readonly Outgoing[]): Promise<void> {
    this.bundles.push(msgs.length);
  }
  async apply(msgs: readonly Outgoing[]): Promise<void> {
    this.applied += msgs.length;
  }
  async barrier(): Promise<void> {}
  async close(): Promise<void> {}
  async abort(): Promise<void> {}
  /** typed as what the reconciler takes */
  get conn(): SwitchConnection {
    return this as unknown as SwitchConnection;
  }
}

/** A lane whose every slice fails as a dropped connection does. */
export class FailingLane extends FakeSwitch {
  override async apply(_msgs: readonly Outgoing[]): Promise<void> {
    this.state = 'closed';
    throw new ConnectionClosedError('peer_closed');
  }
}

export const portDesc = (name: string, portNo: number): PortDesc => ({
  portNo, name, hwAddr: '02:00:00:00:00:01', config: 0, state: 0, curr: 0, advertised: 0, supported: 0, peer: 0, currSpeed: 0, maxSpeed: 0,
});
