// A gauge of the process's memory as Node reports it (rss, V8 heap total/used, external, array buffers), read at scrape time.
import { Gauge, type Registry } from 'prom-client';

/** The parts of process.memoryUsage(), by label: RSS against the V8 heap shows how much is V8's slack and Node itself. */
const KINDS = {
  rss: 'rss', heap_total: 'heapTotal', heap_used: 'heapUsed', external: 'external', array_buffers: 'arrayBuffers',
} as const satisfies Record<string, keyof NodeJS.MemoryUsage>;

export function registerMemoryGauge(registry: Registry, prefix: string): Gauge<'kind'> {
  return new Gauge({
    name: `${prefix}process_memory_bytes`,
    help: 'process.memoryUsage() by kind: rss, heap_total, heap_used, external, array_buffers',
    labelNames: ['kind'],
    registers: [registry],
    collect() {
      const usage = process.memoryUsage();
      for (const [kind, field] of Object.entries(KINDS)) this.set({ kind }, usage[field]);
    },
  });
}
