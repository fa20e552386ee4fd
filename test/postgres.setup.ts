import type { TestProject } from 'vitest/node';
import { startCluster } from '../bench/support/postgres-cluster.js';

/**
 * Global setup of the `postgres` test project: a throwaway PostgreSQL cluster for the run (or the
 * server TEST_DATABASE_URL names). Each app a test makes gets a schema of its own in it.
 */
export default async function setup(project: TestProject) {
  const given = process.env.TEST_DATABASE_URL;
  const cluster = given ? undefined : await startCluster();
  project.provide('postgresUrl', given ?? cluster!.url);
  return () => cluster?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
