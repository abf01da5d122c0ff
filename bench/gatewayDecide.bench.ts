// Southbound L3: one gateway scheduling round (decideGatewayHosts) with many routers and hosts, beside the per-router pass over every host it replaced.
// Run: node bin/run-ts.js bench/gatewayDecide.bench.ts [--routers=500] [--hosts=50] [--rounds=200] [--runs=5]
//
// The scheduler runs a round on every NetworkCreated, gateway and host event and every switch up or
// down (src/controller/gatewayScheduler/scheduler.ts). Steady state: every router already on a
// connected eligible host, so the round decides nothing and the figure is the round's own cost.
// Side by side: eligible hosts found once per physical network (now) and once per router (the round
// of 162eb6c, kept in test/support/scanGatewayDecide.ts). Both must decide nothing. Pure CPU in one process.
import { decideGatewayHosts, type GatewayDecision, type HostCandidate, type RouterToSchedule, type SchedulingInput } from '../src/controller/gatewayScheduler/decide.ts';
import { scanDecide } from '../test/support/scanGatewayDecide.ts';

const arg = (name: string, dflt: number): number => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? dflt);
const ROUTERS = arg('routers', 500);
const HOSTS = arg('hosts', 50);
const ROUNDS = arg('rounds', 200);
const RUNS = arg('runs', 5);
const FAILOVER_MS = 30_000;

function input(): SchedulingInput {
  // every host maps both physical networks; every router sits on a connected host (no decision due)
  const hosts: HostCandidate[] = Array.from({ length: HOSTS }, (_, h) => ({ name: `hv${h}`, physicalNetworks: ['public', 'other'], connected: true, downForMs: 0 }));
  const routers: RouterToSchedule[] = Array.from({ length: ROUTERS }, (_, r) => ({
    routerId: `r${r.toString().padStart(6, '0')}`, physicalNetwork: r % 2 === 0 ? 'public' : 'other', current: `hv${r % HOSTS}`,
  }));
  return { routers, hosts, failoverAfterMs: FAILOVER_MS };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function perRound(decide: (i: SchedulingInput) => GatewayDecision[], i: SchedulingInput): number {
  const t0 = performance.now();
  for (let n = 0; n < ROUNDS; n++) if (decide(i).length > 0) throw new Error('a steady-state round decided something');
  return ((performance.now() - t0) * 1000) / ROUNDS;
}

function main(): void {
  const i = input();
  const a: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    a.push(perRound(decideGatewayHosts, i));
    b.push(perRound(scanDecide, i));
  }
  const fmt = (x: number) => x.toFixed(1);
  console.log(`gateway scheduling round: ${ROUTERS} routers, ${HOSTS} hosts, 2 physical networks, ${ROUNDS} rounds per run, ${RUNS} runs`);
  console.log(`  eligible per physical network: median ${fmt(median(a))} us/round  runs ${a.map(fmt).join(' ')}`);
  console.log(`  eligible per router (before):  median ${fmt(median(b))} us/round  runs ${b.map(fmt).join(' ')}`);
  console.log(`  ratio before/now: ${(median(b) / median(a)).toFixed(1)}x`);
}

main();
