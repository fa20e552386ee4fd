import { AppError } from '../../errors.js';
import { LANGUAGES, type Language, type RunLimits, type RunRequest, type RunResult, type Sandbox } from '../types.js';
import { LanguagePool, type PoolOptions } from './pool.js';
import { workerSpec } from './workers.js';

/**
 * Runs a candidate's untrusted code against test inputs, never in the server's process:
 * JavaScript in QuickJS and Python in Pyodide (both WebAssembly), each in a pool of worker
 * processes with a wall-time limit, a memory limit, an output cap, no file system, no network
 * and no host modules. See worker-*.mjs for what each worker allows.
 */
export interface SandboxOptions {
  /** Defaults for limits a run does not set. */
  limits?: Partial<RunLimits>;
  /** Worker processes per language (default 2). */
  poolSize?: number;
  /** Runs per language that may wait for a worker (default 16); one more is refused with sandbox_busy. */
  queueLimit?: number;
  /** Start the workers of these languages now rather than on their first run. */
  prewarm?: Language[];
}

export interface SandboxPool extends Sandbox {
  /** Starts a language's workers and resolves when all are ready (the bench's cold start, with a pool of one). */
  warm(language: Language): Promise<void>;
  /** Live worker process ids (of one language, or all). */
  pids(language?: Language): number[];
}

export const DEFAULT_LIMITS: RunLimits = { wallMs: 5000, memoryMb: 128, outputBytes: 64 * 1024 };

/** Bounds on a run's limits, whatever a problem asks for. */
const MAX_LIMITS: RunLimits = { wallMs: 60_000, memoryMb: 1024, outputBytes: 4 * 1024 * 1024 };

const POOL: Omit<PoolOptions, 'size' | 'queueLimit' | 'graceMs'> = { heapMb: 256, startTimeoutMs: 60_000, slackMb: 192 };

export function createSandbox(options: SandboxOptions = {}): SandboxPool {
  const defaults = { ...DEFAULT_LIMITS, ...options.limits };
  const pools = new Map<Language, LanguagePool>(
    LANGUAGES.map((language) => [
      language,
      new LanguagePool(workerSpec(language), {
        ...POOL,
        size: options.poolSize ?? 2,
        queueLimit: options.queueLimit ?? 16,
        // QuickJS stops itself at the deadline (a clean timeout, the worker kept); Python is killed then.
        graceMs: language === 'javascript' ? 1000 : 0,
      }),
    ]),
  );
  for (const language of options.prewarm ?? []) void pools.get(language)!.warm();
  return {
    run(req: RunRequest): Promise<RunResult> {
      const pool = pools.get(req.language);
      if (!pool) return Promise.reject(new AppError('bad_request', `No sandbox for language ${String(req.language)}.`));
      const limits = { ...defaults, ...req.limits };
      for (const key of Object.keys(MAX_LIMITS) as (keyof RunLimits)[]) {
        const value = limits[key];
        if (!Number.isFinite(value) || value <= 0)
          return Promise.reject(new AppError('bad_request', `The run's ${key} must be a positive number.`));
        limits[key] = Math.min(Math.floor(value), MAX_LIMITS[key]);
      }
      return pool.run(req, limits);
    },
    warm: (language) => pools.get(language)!.warm(),
    pids: (language) => (language ? pools.get(language)!.pids() : [...pools.values()].flatMap((p) => p.pids())),
    async close() {
      await Promise.all([...pools.values()].map((p) => p.close()));
    },
  };
}
