import { defineConfig } from 'vitest/config';

/** The storage, loop and API tests run on both databases; the rest (UI, processes, grading) on SQLite. */
const BOTH = [
  'test/accounts.test.ts',
  'test/metrics.test.ts',
  'test/api-bank.test.ts',
  'test/api-grade.test.ts',
  'test/loop-llm.test.ts',
  'test/loop-offline.test.ts',
  'test/loop-resilience.test.ts',
  'test/message-ids.test.ts',
  'test/sessions-api.test.ts',
  'test/store.test.ts',
  'test/stories.test.ts',
  'test/turns.test.ts',
  'test/voice-api.test.ts',
  'test/round-trips.test.ts',
  'test/session-totals.test.ts',
  'test/tailoring.test.ts',
  'test/recovered-turns.test.ts',
  'test/traces.test.ts',
  'test/db-spans.test.ts',
];

export default defineConfig({
  test: {
    setupFiles: ['test/setup.ts'],
    testTimeout: 20000,
    hookTimeout: 30000,
    projects: [
      {
        extends: true,
        test: { name: 'sqlite', include: ['test/**/*.test.ts'], exclude: ['test/replicas.test.ts', 'test/postgres-outage.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...BOTH, 'test/replicas.test.ts', 'test/postgres-outage.test.ts'],
          globalSetup: ['test/postgres.setup.ts'],
        },
      },
    ],
  },
});
