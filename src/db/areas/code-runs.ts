import type { CodeRun } from '../../coding/results.js';

/** The coding round's runs of a session (see `code_runs`). */
export interface CodeRunsArea {
  /** Stores a run; returns it with its id. */
  insertCodeRun(sessionId: string, run: Omit<CodeRun, 'id'>): Promise<CodeRun>;
  /** The session's runs, oldest first. */
  codeRuns(sessionId: string): Promise<CodeRun[]>;
}
