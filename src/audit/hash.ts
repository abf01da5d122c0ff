// A fingerprint of everything a replay projects (Neutron state and every host's desired flows), to prove replay is deterministic.
import { createHash } from 'node:crypto';
import { flowLinesAt } from './flowLines.ts';
import { renderState } from './render.ts';
import type { ReplayState } from './replayState.ts';

/** The bytes hashed: state JSON, then each host's flow lines, hosts in name order. */
export function projectionText(state: ReplayState): string {
  const hosts = [...state.view.hosts.keys()].sort();
  const flows = hosts.map((h) => [h, flowLinesAt(state.view, h).map((l) => l.flow)]);
  return JSON.stringify({ position: Number(state.position), state: renderState(state.world), flows });
}

export function projectionHash(state: ReplayState): string {
  return createHash('sha256').update(projectionText(state)).digest('hex');
}
