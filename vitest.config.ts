import { defineConfig } from 'vitest/config';

// Three tiers by file suffix. e2e files drive real Open vSwitch test beds and run one after
// another: several test beds at once on two cores make ARP and neighbour timeouts flaky.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.unit.test.ts'],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'int',
          sequence: { groupOrder: 0 },
          include: ['test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.test.ts'],
          fileParallelism: false,
          // after the unit and int tiers, so test beds do not compete with them for the CPU
          sequence: { groupOrder: 1 },
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
