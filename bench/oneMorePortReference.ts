// The one-more-port reference with no log at all: a bare OpenFlow client on the bridge's management socket that answers a new interface with its flows and a barrier at once.
//
// It shows what OVS itself allows: when the port_status of a new tap reaches a controller, and how
// soon after it flow_mods for that port can be confirmed by a barrier, on the same bridge and in the
// same minutes as esdn. esdn does the same plus two durable appends (the interface observation
// before, the port status after) and its projections; the difference is esdn's own.
import type { SwitchConnection } from '../openflow/connection.ts';
import type { FlowMod, PortStatus } from '../openflow/messages/types.ts';
import { connectToSwitch } from '../openflow/server.ts';

/** OVS sends a service connection (the bridge's .mgmt socket) asynchronous messages only once it set a non-zero miss_send_len. */
const MISS_SEND_LEN = 128;
/** Cookie of the reference flows: no esdn marker bits, so esdn neither dumps nor touches them. */
export const REF_COOKIE = 0x5eedn;
/** A table esdn's pipeline never sends packets to. */
export const REF_TABLE = 250;
const ALL = 0xffffffff;

export interface ReferenceTimes {
  /** wall-clock ms when the tap's port_status arrived here */
  portStatusAt: number;
  /** wall-clock ms when the barrier after its flow_mods was answered */
  confirmedAt: number;
}

export class ReferenceController {
  private readonly waiting = new Map<string, { flows: number; resolve: (t: ReferenceTimes) => void; reject: (e: unknown) => void }>();

  private constructor(private readonly sw: SwitchConnection) {
    sw.on('port_status', (ps) => this.onPortStatus(ps));
  }

  static async connect(mgmtSocket: string): Promise<ReferenceController> {
    const sw = await connectToSwitch({ unix: mgmtSocket });
    await sw.send({ type: 'set_config', flags: 0, missSendLen: MISS_SEND_LEN });
    await sw.barrier();
    return new ReferenceController(sw);
  }

  /** Resolves once the interface `name` appeared and `flows` flow_mods for it were confirmed. */
  expect(name: string, flows: number): Promise<ReferenceTimes> {
    return new Promise((resolve, reject) => this.waiting.set(name, { flows, resolve, reject }));
  }

  /** Removes the reference's flows again. */
  async clear(): Promise<void> {
    await this.sw.apply([{ ...flowMod(0, 0), command: 'delete', cookieMask: ~0n & 0xffffffffffffffffn, tableId: REF_TABLE, match: [], priority: 0 }]);
  }

  close(): Promise<unknown> {
    return this.sw.close();
  }

  private onPortStatus(ps: PortStatus): void {
    const w = this.waiting.get(ps.desc.name);
    if (!w || ps.reason !== 'add') return;
    this.waiting.delete(ps.desc.name);
    const portStatusAt = now();
    const mods = Array.from({ length: w.flows }, (_, i) => flowMod(ps.desc.portNo, i));
    this.sw.apply(mods).then(() => w.resolve({ portStatusAt, confirmedAt: now() }), w.reject);
  }
}

const now = (): number => performance.timeOrigin + performance.now();

/** Flow i of a port: table REF_TABLE, in_port and a priority of its own, drop. */
function flowMod(ofport: number, i: number): Omit<FlowMod, 'xid'> {
  return {
    type: 'flow_mod', cookie: REF_COOKIE, cookieMask: 0n, tableId: REF_TABLE, command: 'add', idleTimeout: 0, hardTimeout: 0,
    priority: i + 1, bufferId: ALL, outPort: ALL, outGroup: ALL, flags: 0,
    match: ofport === 0 ? [] : [{ field: 'in_port', value: ofport }], instructions: [],
  };
}
