// Loads projected flows onto a test bed switch with `ovs-ofctl replace-flows`, for the tests that run the projection with no controller.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFlowMod } from '../../openflow/text/format.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { OvsHost } from './ovsTestbed.ts';

/**
 * br-int ends up holding exactly these flows. replace-flows touches only the flows that differ, so
 * conntrack entries and the counters of unchanged flows survive a reload.
 */
export async function replaceFlows(host: OvsHost, flows: Iterable<DesiredFlow>, render: (flow: DesiredFlow) => string = formatFlowMod): Promise<void> {
  const file = join(host.dir, `desired-${Date.now()}.flows`);
  writeFileSync(file, [...flows].map(render).join('\n') + '\n');
  await host.ofctl('replace-flows', 'br-int', file);
}
