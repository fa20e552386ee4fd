/**
 * The coding round's shared types (issue 25). The sandbox (src/coding/sandbox) runs a candidate's
 * code against test inputs; the pack (problems, judge) says what the inputs and expected values are.
 */
export type Language = 'javascript' | 'python';

export const LANGUAGES: readonly Language[] = ['javascript', 'python'];

/**
 * One test's input. A function problem calls `entry(...args)`. A class problem's first call
 * constructs `entry` with its args, each next call is `instance[method](...args)`, and the test's
 * value is the array of every call's return (the constructor's is null).
 */
export type TestInput = { args: unknown[] } | { calls: [method: string, args: unknown[]][] };

export interface RunLimits {
  /** Wall time for the whole run (all its tests), from the moment a worker takes it. */
  wallMs: number;
  /** Memory the candidate's code may allocate, beyond what the language runtime itself holds. */
  memoryMb: number;
  /** What the code prints, kept up to this many bytes (the rest is cut, the run goes on). */
  outputBytes: number;
}

export interface TestOutcome {
  index: number;
  /** The call returned (whatever it returned: comparing with the expected value is the judge's job). */
  ok: boolean;
  /** The JSON-safe return value (undefined/None -> null, tuples -> arrays, dicts -> objects). */
  value?: unknown;
  /** The exception, as the candidate's language prints it. */
  error?: string;
  ms: number;
}

export interface RunResult {
  status: 'ok' | 'compile_error' | 'timeout' | 'memory' | 'crashed';
  /** One per input, in order; after a timeout, memory blow-up or crash, the missing ones are absent. */
  outcomes: TestOutcome[];
  /** What the code printed (console.log / print), capped at RunLimits.outputBytes. */
  output: string;
  /** For compile_error, timeout, memory and crashed: a message a candidate understands. */
  error?: string;
  durationMs: number;
}

export interface RunRequest {
  language: Language;
  code: string;
  /** The function or class name the tests call. */
  entry: string;
  inputs: TestInput[];
  limits?: Partial<RunLimits>;
}

export interface Sandbox {
  run(req: RunRequest): Promise<RunResult>;
  /** Kills every worker; queued runs are refused. */
  close(): Promise<void>;
}
