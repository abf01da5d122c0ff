// Wires the DHCP answer logic to one switch connection: packet-in from the DHCP flow -> lease from the view -> packet-out to the asking port.
import type { SwitchConnection } from '../../../openflow/connection.ts';
import { OFPP_CONTROLLER, OFP_NO_BUFFER } from '../../../openflow/constants/ports.ts';
import type { PacketIn } from '../../../openflow/messages/types.ts';
import type { TopologyView } from '../../../projections/topology/view.ts';
import { answerDhcp, type DhcpAnswer } from './answer.ts';
import { leaseOf, portAt } from './lease.ts';

export interface DhcpResponderContext {
  /** the host this switch belongs to (undefined until known) */
  host: () => string | undefined;
  /** the current topology view */
  view: () => TopologyView;
  /** told about every answer, or why none was sent (logs, tests) */
  onAnswer?: (a: DhcpAnswer & { inPort: number | undefined }) => void;
}

/** The packet-out for one packet-in, or the reason there is none (pure apart from reading the context). */
export function dhcpPacketOut(pi: PacketIn, ctx: DhcpResponderContext): { inPort: number | undefined; answer: DhcpAnswer } {
  const inPortField = pi.match.find((o) => o.field === 'in_port');
  const inPort = inPortField?.field === 'in_port' ? inPortField.value : undefined;
  const host = ctx.host();
  if (inPort === undefined || host === undefined) return { inPort, answer: { kind: 'silent', reason: 'no in_port or unknown host' } };
  const view = ctx.view();
  const portId = portAt(view, host, inPort);
  const lease = portId === undefined ? undefined : leaseOf(view, portId);
  return { inPort, answer: answerDhcp(pi.data, lease) };
}

/** Answers DHCP packet-ins on `sw` until the returned function is called. */
export function attachDhcpResponder(sw: SwitchConnection, ctx: DhcpResponderContext): () => void {
  const onPacketIn = (pi: PacketIn): void => {
    const { inPort, answer } = dhcpPacketOut(pi, ctx);
    ctx.onAnswer?.({ ...answer, inPort });
    if (answer.kind !== 'reply' || inPort === undefined) return;
    void sw.send({ type: 'packet_out', bufferId: OFP_NO_BUFFER, inPort: OFPP_CONTROLLER, actions: [{ type: 'output', port: inPort, maxLen: 0 }], data: answer.frame })
      .catch(() => { /* the connection is closing: the client retries */ });
  };
  sw.on('packet_in', onPacketIn);
  return () => { sw.off('packet_in', onPacketIn); };
}
