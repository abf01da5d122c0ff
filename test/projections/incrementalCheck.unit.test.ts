// The incremental-flow check itself (support/incrementalCheck.ts) fails when the projection or its change stream is wrong.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FlowProjection, type FlowChanges } from '../../projections/flows/incremental.ts';
import type { DesiredFlow } from '../../projections/pipeline/flow.ts';
import type { TopologyEvent } from '../../projections/topology/inputs.ts';
import { checkHistory } from './support/incrementalCheck.ts';
import { A1, NET1, scenarioEvents } from './support/scenario.ts';

const HOSTS = ['hv1', 'hv2'];

/** The projection's tables as they are, with `edit` applied to hv1's once it holds flows. */
function spoilDesired(edit: (t: Map<string, DesiredFlow>) => void): void {
  const real = FlowProjection.prototype.desired;
  vi.spyOn(FlowProjection.prototype, 'desired').mockImplementation(function (this: FlowProjection, host: string) {
    const t = new Map(real.call(this, host));
    if (host === 'hv1' && t.size > 0) edit(t);
    return t;
  });
}

describe('checkHistory', () => {
  afterEach(() => vi.restoreAllMocks());

  it('passes on the real projection', () => {
    expect(() => checkHistory(scenarioEvents(), HOSTS)).not.toThrow();
  });

  it('fails when the projection misses a flow', () => {
    spoilDesired((t) => t.delete([...t.keys()][0]));
    expect(() => checkHistory(scenarioEvents(), HOSTS)).toThrow(/to deeply equal/);
  });

  it('fails when a flow under the right key has another body', () => {
    spoilDesired((t) => {
      const [k, f] = [...t][0];
      t.set(k, { ...f, cookie: f.cookie + 1n });
    });
    expect(() => checkHistory(scenarioEvents(), HOSTS)).toThrow(/to deeply equal/);
  });

  it('fails when the change stream misses a delete', () => {
    const real = FlowProjection.prototype.apply;
    vi.spyOn(FlowProjection.prototype, 'apply').mockImplementation(function (this: FlowProjection, e) {
      const changes: FlowChanges = real.call(this, e);
      for (const c of changes.values()) c.deletes.clear();
      return changes;
    });
    const events: TopologyEvent[] = [...scenarioEvents(), { type: 'PortDeleted', data: { id: A1.id, networkId: NET1 } }];
    expect(() => checkHistory(events, HOSTS)).toThrow(/to deeply equal/);
  });
});
