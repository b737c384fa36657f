import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['packages/*/src/**/*.test.ts', 'services/*/src/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: 1 },
          include: ['packages/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['test/drills/**', 'test/quickstart/**', '**/node_modules/**'],
          environment: 'node',
          globalSetup: ['packages/testkit/dist/global-setup.js'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
        },
      },
      {
        test: {
          // Failure drills: each file runs the whole platform as processes and breaks parts of it; one file at a time.
          name: 'drills',
          sequence: { groupOrder: 2 },
          include: ['test/drills/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          // The README's quick start on a fresh clone (install, start, browser, Ctrl-C): one file, after the rest.
          name: 'quickstart',
          sequence: { groupOrder: 3 },
          include: ['test/quickstart/**/*.test.ts'],
          environment: 'node',
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 900_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
