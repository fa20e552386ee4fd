import type { ChildProcess } from 'node:child_process';
import { AppError } from '../../errors.js';
import type { RunLimits, RunRequest, RunResult, TestOutcome } from '../types.js';
import { residentBytes, startWorker, type WorkerSpec } from './workers.js';

const MB = 1024 * 1024;

export interface PoolOptions {
  /** Worker processes kept for the language. */
  size: number;
  /** Runs that may wait for a worker; one more is refused at once. */
  queueLimit: number;
  /** V8 heap of a worker process (MB); WebAssembly memory is limited separately. */
  heapMb: number;
  /** How long a worker may take to load its runtime before it is given up. */
  startTimeoutMs: number;
  /** Memory a worker may grow beyond its size when ready plus the run's limit before it is killed (MB). */
  slackMb: number;
  /** How long after the wall time the server waits for the worker's own timeout before killing it. */
  graceMs: number;
}

interface Job {
  id: number;
  req: RunRequest;
  limits: RunLimits;
  resolve: (result: RunResult) => void;
  started: number;
  outcomes: TestOutcome[];
  output: string;
  /** Why the server killed the worker, when it did. */
  killedFor?: 'timeout' | 'memory';
  timers: NodeJS.Timeout[];
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  retired: boolean;
  job: Job | undefined;
  readyRss: number | undefined;
  stderr: string;
  exited: Promise<void>;
}

type Waiting = { req: RunRequest; limits: RunLimits; resolve: (r: RunResult) => void };

/**
 * The worker processes of one language: started on first use (or by warm()), each serving one
 * run at a time and kept warm between runs; a worker that timed out, blew its memory or crashed
 * is killed and replaced. Runs beyond the workers wait in a bounded queue.
 */
export class LanguagePool {
  private readonly slots = new Set<Slot>();
  private readonly queue: Waiting[] = [];
  private nextId = 1;
  private failedStarts = 0;
  private closed = false;
  private readyWaiters: (() => void)[] = [];

  constructor(
    private readonly spec: WorkerSpec,
    private readonly options: PoolOptions,
  ) {}

  run(req: RunRequest, limits: RunLimits): Promise<RunResult> {
    if (this.closed) return Promise.reject(new AppError('shutting_down', 'The code runner is shutting down.'));
    const idle = this.idleSlot();
    if (!idle && this.queue.length >= this.options.queueLimit) {
      return Promise.reject(
        new AppError('sandbox_busy', `Too many code runs are waiting (${this.queue.length}); try again in a moment.`, { retryAfter: 2 }),
      );
    }
    return new Promise((resolve) => {
      this.queue.push({ req, limits, resolve });
      this.fill();
      this.pump();
    });
  }

  /** Starts the workers; resolves when all of them are ready to run code (or could not start). */
  async warm(): Promise<void> {
    this.fill();
    while (!this.closed && [...this.slots].filter((s) => s.ready).length < this.options.size) {
      const failed = this.failedStarts;
      await new Promise<void>((resolve) => this.readyWaiters.push(resolve));
      if (this.failedStarts >= 3 && this.failedStarts > failed) return;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const waiting of this.queue.splice(0))
      waiting.resolve(this.failure('crashed', 'The code runner was shut down before your run started.'));
    const exits = [...this.slots].map((slot) => {
      slot.child.kill('SIGKILL');
      return slot.exited;
    });
    await Promise.all(exits);
    for (const wake of this.readyWaiters.splice(0)) wake();
  }

  /** Live worker process ids (for tests and metrics). */
  pids(): number[] {
    return [...this.slots].map((s) => s.child.pid).filter((pid): pid is number => pid !== undefined);
  }

  /** Kills a worker; it takes no more runs, and one is started in its place when it has exited. */
  private retire(slot: Slot): void {
    slot.ready = false;
    slot.retired = true;
    slot.child.kill('SIGKILL');
  }

  private idleSlot(): Slot | undefined {
    return [...this.slots].find((s) => s.ready && !s.job);
  }

  private fill(): void {
    while (!this.closed && this.slots.size < this.options.size) this.spawn();
  }

  private pump(): void {
    for (let slot = this.idleSlot(); slot && this.queue.length > 0; slot = this.idleSlot()) this.dispatch(slot, this.queue.shift()!);
  }

  private spawn(): void {
    const child = startWorker(this.spec, this.options.heapMb);
    let exited!: () => void;
    const slot: Slot = {
      child,
      ready: false,
      retired: false,
      job: undefined,
      readyRss: undefined,
      stderr: '',
      exited: new Promise((r) => (exited = r)),
    };
    this.slots.add(slot);
    const startTimer = setTimeout(() => child.kill('SIGKILL'), this.options.startTimeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (slot.stderr = (slot.stderr + chunk.toString()).slice(-2000)));
    child.on('message', (message: WorkerMessage) => this.onMessage(slot, message, startTimer));
    // A process that could not be started emits no 'exit': end it here as if it had exited.
    child.on('error', () => (child.pid === undefined ? onExit() : child.kill('SIGKILL')));
    const onExit = () => {
      if (!this.slots.has(slot)) return;
      clearTimeout(startTimer);
      this.slots.delete(slot);
      const job = slot.job;
      slot.job = undefined;
      if (job) this.finish(job, this.endOfKilled(job, slot));
      const replace = slot.retired || slot.ready || (this.startFailed(slot) && (this.queue.length > 0 || this.readyWaiters.length > 0));
      exited();
      if (replace) this.fill();
    };
    child.on('exit', onExit);
  }

  private onMessage(slot: Slot, message: WorkerMessage, startTimer: NodeJS.Timeout): void {
    if (message.type === 'ready') {
      clearTimeout(startTimer);
      slot.ready = true;
      this.failedStarts = 0;
      for (const wake of this.readyWaiters.splice(0)) wake();
      void residentBytes(slot.child.pid!).then((rss) => {
        slot.readyRss = rss;
      });
      this.pump();
      return;
    }
    const job = slot.job;
    if (!job || message.id !== job.id) return;
    if (typeof message.output === 'string') job.output += message.output;
    if (message.type === 'outcome') {
      job.outcomes.push(message.outcome);
      return;
    }
    if (message.type === 'done') {
      slot.job = undefined;
      this.finish(job, { status: message.status, error: message.error });
      if (message.recycle) this.retire(slot);
      else this.pump();
    }
  }

  private dispatch(slot: Slot, waiting: Waiting): void {
    const job: Job = { ...waiting, id: this.nextId++, started: Date.now(), outcomes: [], output: '', timers: [] };
    slot.job = job;
    const { code, entry, inputs } = waiting.req;
    slot.child.send({ type: 'run', id: job.id, code, entry, inputs, limits: job.limits });
    const kill = (why: 'timeout' | 'memory') => {
      if (slot.job !== job) return;
      job.killedFor = why;
      this.retire(slot);
    };
    job.timers.push(setTimeout(() => kill('timeout'), job.limits.wallMs + this.options.graceMs));
    const watch = setInterval(() => {
      void residentBytes(slot.child.pid!).then((rss) => {
        const ceiling = (slot.readyRss ?? 0) + (job.limits.memoryMb + this.options.slackMb) * MB;
        if (rss !== undefined && slot.readyRss !== undefined && rss > ceiling) kill('memory');
      });
    }, 100);
    job.timers.push(watch);
  }

  private finish(job: Job, end: { status: RunResult['status']; error?: string }): void {
    for (const t of job.timers) clearTimeout(t);
    const result: RunResult = { status: end.status, outcomes: job.outcomes, output: job.output, durationMs: Date.now() - job.started };
    if (end.error !== undefined) result.error = end.error;
    job.resolve(result);
  }

  private endOfKilled(job: Job, slot: Slot): { status: RunResult['status']; error: string } {
    if (job.killedFor === 'timeout')
      return { status: 'timeout', error: `Time limit exceeded: your code ran for more than ${job.limits.wallMs} ms.` };
    if (job.killedFor === 'memory')
      return { status: 'memory', error: `Memory limit exceeded: your code used more than ${job.limits.memoryMb} MB.` };
    const why = /out of memory|heap limit|Allocation failed/i.test(slot.stderr) ? 'it ran out of memory' : 'it stopped unexpectedly';
    return { status: /memory/.test(why) ? 'memory' : 'crashed', error: `Your code crashed the ${this.spec.language} runner: ${why}.` };
  }

  /** A worker that never became ready: after three in a row, waiting runs fail instead of waiting forever. */
  private startFailed(slot: Slot): boolean {
    this.failedStarts++;
    if (this.failedStarts < 3) return true;
    const detail = slot.stderr.trim().split('\n').slice(-3).join(' ').slice(0, 300);
    for (const waiting of this.queue.splice(0)) {
      waiting.resolve(this.failure('crashed', `The ${this.spec.language} runner could not start${detail ? ` (${detail})` : ''}.`));
    }
    for (const wake of this.readyWaiters.splice(0)) wake();
    return false;
  }

  private failure(status: RunResult['status'], error: string): RunResult {
    return { status, outcomes: [], output: '', error, durationMs: 0 };
  }
}

type WorkerMessage =
  | { type: 'ready'; info: unknown }
  | { type: 'outcome'; id: number; outcome: TestOutcome; output?: string }
  | { type: 'done'; id: number; status: RunResult['status']; error?: string; output?: string; recycle?: boolean };
