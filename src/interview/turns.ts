import { randomUUID } from 'node:crypto';
import { databaseError } from '../db/errors.js';
import type { SessionMessage } from '../db/areas/messages.js';
import type { TurnStart } from '../db/areas/turns.js';
import type { SessionRow } from '../db/rows.js';
import type { NewIdempotencyKey } from '../db/areas/sessions.js';
import type { Store } from '../db/store.js';
import { AppError, isAppError, ModelError } from '../errors.js';
import type { Usage } from '../llm/usage.js';
import { errorFields } from '../observability/error-fields.js';
import type { Logger } from '../observability/logger.js';
import { asPartOf, currentRequest } from '../observability/turn-context.js';
import type { Tracer } from '../observability/tracing.js';
import type { GradeEvent, Message, TurnResult } from './schemas.js';
import { requireSession, type SessionViews } from './views.js';
import { fingerprintOf } from './fingerprint.js';
import type { BrowserSpeech } from '../voice/schemas.js';

/**
 * The turn runner: how a turn runs exactly once, whatever crashes, replicas and resends do. It
 * claims the session (a lease renewed while the turn runs), stores the turn's input and its
 * Idempotency-Key in one atomic write under the claim, runs the interview's step under one deadline, stores the
 * outcome against the key, and completes the turns a crash left behind (recovery) or hands them
 * over on shutdown. What a turn does is not its business: the interview's state machine
 * (`TurnMachine`, loop.ts) accepts the input and runs the step.
 */

export type TurnAction = 'answer' | 'retry' | 'skip' | 'finish';

export interface TurnRequest {
  action: TurnAction;
  /** The answer (action "answer"). */
  text?: string;
  /** The position of the question the answer is for (0-based): refused if the interview has moved on. */
  position?: number;
  /** The interviewer message the answer replies to: refused if the interviewer has spoken since. */
  replyTo?: number;
  /** The server-transcribed recording this answer confirms (its text, maybe corrected, is `text`). */
  recordingId?: string;
  /** What the browser's recogniser heard, when it transcribed the spoken answer. */
  speech?: BrowserSpeech;
  /** Same key, same request: the stored result; same key, other request: refused. */
  idempotencyKey?: string;
  /** Whose turn it is: another user's session is a 404. Absent for the server's own recovery. */
  userId?: string;
  /** Recovery only: the key (and fingerprint) of the request a crash cut off, so its result is stored under it. */
  resume?: { key: string; fingerprint: string };
}

export interface LoopEvents {
  /** A piece of the interviewer message being written; a promise holds the model back until it is sent (back-pressure). */
  token?: (text: string) => void | Promise<void>;
  /** A complete interviewer message, already stored. */
  message?: (message: Message) => void;
  grade?: (grade: GradeEvent) => void;
  /**
   * This server is shutting down and hands the turn over to another replica: the answer is saved
   * and the same request, sent again after `retryAfter` seconds, gets the result.
   */
  handover?: (retryAfter: number) => void;
}

/** What the runner needs from the interview's state machine. */
export interface TurnMachine {
  /**
   * Checks and stores the turn's input with the session claimed, and its Idempotency-Key as
   * running (`key`): all of it or nothing (one statement, or a transaction when it is several);
   * what it stores it also puts in `start` (what the turn read as it claimed the session).
   */
  accept(store: Store, start: TurnStart, req: TurnRequest, at: Date, key?: NewIdempotencyKey): Promise<SessionMessage[]>;
  /** Runs the turn's step after its input is stored, from `start`; model tokens spent go in `spent`. */
  run(start: TurnStart, stored: SessionMessage[], events: LoopEvents, signal: AbortSignal, spent: { usage?: Usage }): Promise<TurnResult>;
}

export interface TurnRunnerDeps {
  store: Store;
  views: SessionViews;
  now: () => Date;
  /** The whole turn's time limit, every model call and retry included (OPENAI_TIMEOUT_MS). */
  turnTimeoutMs: number;
  /** How long a turn's claim on its session holds without renewal; a crashed turn lapses after it (TURN_LEASE_MS). */
  leaseMs: number;
  /** The server log: a line per turn and per failed turn; never the answer text. */
  logger?: Logger;
  /** Model tokens a turn used, for the session's owner (usage and budgets). */
  onUsage?: (userId: string, usage: Usage) => void;
  /** What is counted of turns (metrics). */
  meter?: TurnMeter;
  /** With tracing on: a turn completed after a crash is a span in the trace of the request it was for. */
  tracer?: Tracer;
}

/** Counts turns by kind and outcome (`done` or an error code) with their duration, and recoveries. */
export interface TurnMeter {
  turn(kind: TurnAction, outcome: string, seconds: number): void;
  recovered(): void;
}

export class TurnRunner {
  /** Turns running in this process, by session: a delete waits for them. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Who this process is, in the turn claims it writes. */
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly store: Store;
  private readonly views: SessionViews;
  private readonly now: () => Date;
  /** Set on shutdown: no new turn starts. */
  private draining = false;
  /** How to tell each running turn's client that the turn is handed over (a shutdown). */
  private readonly handovers = new Map<string, (retryAfter: number) => void>();
  /** The Idempotency-Key of each turn running here, so a resend of it is told its answer is saved. */
  private readonly runningKey = new Map<string, string | undefined>();

  constructor(
    private readonly deps: TurnRunnerDeps,
    private readonly machine: TurnMachine,
  ) {
    this.store = deps.store;
    this.views = deps.views;
    this.now = deps.now;
  }

  /**
   * One turn: claim the session and store its input under the claim (a second request for the
   * same session, in this process or another, gets a 409 instead of running alongside), then run the state machine under one deadline for the whole turn, with
   * the claim renewed while it runs, and store the outcome against the idempotency key.
   */
  async turn(sessionId: string, req: TurnRequest, events: LoopEvents = {}): Promise<{ result: TurnResult; replayed: boolean }> {
    const prepared = await this.prepare(sessionId, req);
    if ('replay' in prepared) return { result: prepared.replay, replayed: true };
    return { result: await prepared.run(events), replayed: false };
  }

  /**
   * The part of a turn that decides whether it can run, before anything is sent to the client: a
   * 404, 409, 422 or 503 is thrown here; a repeated request gets the stored result to replay;
   * otherwise the input is stored, the session claimed, and `run` does the rest.
   */
  async prepare(
    sessionId: string,
    req: TurnRequest,
  ): Promise<{ replay: TurnResult } | { run: (events?: LoopEvents) => Promise<TurnResult> }> {
    const started = Date.now();
    if (this.draining) throw new AppError('shutting_down', 'This server is shutting down: send the request again in a moment');
    if (this.running.has(sessionId)) {
      // Another user's session is a 404 whether or not a turn of it runs: busy says nothing of it.
      if (req.userId) await this.views.require(sessionId, req.userId);
      if (req.idempotencyKey && this.runningKey.get(sessionId) === (req.resume?.key ?? req.idempotencyKey)) {
        throw new AppError('conflict', SAVED_AND_RUNNING, { retryAfter: RESEND_AFTER_S });
      }
      throw new AppError('conflict', 'Your previous message is still being answered: wait for the reply, then send again', {
        retryAfter: RESEND_AFTER_S,
      });
    }
    if (req.resume) req = { ...req, idempotencyKey: req.resume.key };
    const fingerprint = req.resume ? req.resume.fingerprint : req.idempotencyKey ? fingerprintOf(req) : undefined;
    // Marked running before the first await, so a second request in this process is a 409 at once.
    let release!: () => void;
    this.running.set(sessionId, new Promise<void>((r) => (release = r)));
    this.runningKey.set(sessionId, req.idempotencyKey);
    let begun: Awaited<ReturnType<TurnRunner['begin']>>;
    try {
      begun = await this.begin(sessionId, req, fingerprint);
    } catch (e) {
      this.running.delete(sessionId);
      this.runningKey.delete(sessionId);
      release();
      throw e;
    }
    if ('replay' in begun) {
      this.running.delete(sessionId);
      this.runningKey.delete(sessionId);
      release();
      return begun;
    }
    return {
      run: async (events: LoopEvents = {}) => {
        if (events.handover) this.handovers.set(sessionId, events.handover);
        const signal = AbortSignal.timeout(this.deps.turnTimeoutMs);
        const spent: { usage?: Usage } = {};
        const heartbeat = setInterval(
          () => void this.store.renewClaim(sessionId, this.owner, new Date(this.now().getTime() + this.deps.leaseMs)).catch(() => {}),
          Math.max(50, Math.floor(this.deps.leaseMs / 3)),
        );
        heartbeat.unref();
        try {
          const result = await this.machine.run(begun.start, begun.stored, events, signal, spent);
          await this.end(sessionId, req, fingerprint, { state: 'done', result });
          this.deps.logger?.info({ event: 'turn', session: sessionId, action: req.action, durationMs: Date.now() - started }, 'turn');
          this.deps.meter?.turn(req.action, 'done', (Date.now() - started) / 1000);
          return result;
        } catch (e) {
          const err = await this.explain(sessionId, e);
          await this.end(sessionId, req, fingerprint, { state: 'failed' });
          await this.logFailure(sessionId, req.action, err, Date.now() - started);
          this.deps.meter?.turn(req.action, err.code, (Date.now() - started) / 1000);
          throw err;
        } finally {
          clearInterval(heartbeat);
          this.running.delete(sessionId);
          this.runningKey.delete(sessionId);
          this.handovers.delete(sessionId);
          release();
          // Tokens are spent even when the turn fails later: they count against the owner's budget.
          if (spent.usage) this.deps.onUsage?.(begun.owner, spent.usage);
        }
      },
    };
  }

  /**
   * Claims the session, checks and stores the turn's input; or finds the stored result to replay.
   * The claim is its own statement (a lease, as the rest of the turn runs under), and the input
   * is stored under it: a check that refuses the input, or a replay, gives the claim back at once;
   * a crash in between leaves a claim that lapses, as a crash at any later point of the turn does.
   */
  private async begin(
    sessionId: string,
    req: TurnRequest,
    fingerprint: string | undefined,
  ): Promise<{ stored: SessionMessage[]; owner: string; start: TurnStart } | { replay: TurnResult }> {
    const at = this.now();
    const until = new Date(at.getTime() + this.deps.leaseMs);
    const key = req.idempotencyKey && fingerprint ? req.idempotencyKey : undefined;
    // Claimed and read at once when the session is free (another replica's statement on the same
    // session is waited for); else nothing is claimed, and what stands in the way is found below.
    // The request is kept with the claim: whoever completes the turn after a crash logs it under the same id.
    const request = currentRequest();
    let start = await this.store.claimForTurn(sessionId, this.owner, at, until, req.userId, key, request);
    let claimed = start !== undefined;
    try {
      const session = start?.session ?? (await requireSession(this.store, sessionId, req.userId));
      let action = req.action;
      if (key) {
        const seen = start ? start.seen : await this.store.idempotency(sessionId, key);
        if (seen && seen.fingerprint !== fingerprint) {
          throw new AppError(
            'idempotency_mismatch',
            'This Idempotency-Key was already used for a different request: send a new key with a new request',
          );
        }
        if (seen?.state === 'done' && seen.result) return { replay: seen.result };
        if (seen?.state === 'running' && !claimLapsed(session, at) && session.turnClaimedBy !== this.owner) {
          throw new AppError('conflict', SAVED_AND_RUNNING, { retryAfter: RESEND_AFTER_S });
        }
        // Stored before, but its turn failed or was cut off: run the turn again, without storing the answer twice.
        if (seen) action = 'retry';
      }
      if (!start) {
        if (session.status === 'finished') throw new AppError('conflict', 'This session is finished: start a new one to keep practising');
        if (!(await this.store.claimTurn(sessionId, this.owner, at, until, request))) {
          throw new AppError('conflict', 'Your previous message is still being answered: wait for the reply, then send again');
        }
        claimed = true;
        start = await this.store.turnStart({ ...session, turnClaimedBy: this.owner, turnClaimedUntil: until.toISOString() });
      }
      // The key is stored with the input, as running: a resend finds it, and recovery completes the turn under it.
      const running = key && fingerprint ? { sessionId, key, fingerprint, state: 'running' as const, at } : undefined;
      const stored = await this.machine.accept(this.store, start, { ...req, action }, at, running);
      claimed = false;
      return { stored, owner: session.userId, start };
    } finally {
      // Refused, replayed or failed before the input was stored: the claim is given back (else it lapses).
      if (claimed) await this.store.releaseClaim(sessionId, this.owner).catch(() => {});
    }
  }

  /** Releases the claim and records the turn's outcome against its idempotency key. */
  private async end(
    sessionId: string,
    req: TurnRequest,
    fingerprint: string | undefined,
    outcome: { state: 'done' | 'failed'; result?: TurnResult },
  ) {
    try {
      const key =
        req.idempotencyKey && fingerprint
          ? { sessionId, key: req.idempotencyKey, fingerprint, state: outcome.state, result: outcome.result, at: this.now() }
          : undefined;
      await this.store.endTurn(sessionId, this.owner, key);
    } catch (e) {
      // The session was deleted meanwhile: nothing is left to release.
      if (await this.store.session(sessionId)) throw e;
    }
  }

  /** A failure as the client should see it: a session deleted mid-turn is a 404, not a database error. */
  private async explain(sessionId: string, e: unknown): Promise<AppError> {
    if (isAppError(e)) return e;
    const db = databaseError(e);
    if (db) return db;
    if (!(await this.store.session(sessionId).catch(() => undefined))) {
      return new AppError('not_found', 'The session was deleted while its turn was running', { cause: e });
    }
    return new AppError('internal', 'Internal server error', { cause: e });
  }

  private async logFailure(sessionId: string, action: TurnAction, err: AppError, durationMs: number) {
    if (!this.deps.logger || err.code === 'conflict' || err.code === 'not_found') return;
    const session = await this.store.session(sessionId).catch(() => undefined);
    this.deps.logger.error(
      {
        event: 'turn_failed',
        session: sessionId,
        position: session?.currentPosition ?? null,
        action,
        code: err.code,
        upstreamStatus: err instanceof ModelError ? (err.upstreamStatus ?? null) : null,
        durationMs,
        message: err.message,
        // What went wrong underneath (a socket error, a provider's status): its type and code, never a reply or the answer.
        cause: err.cause === undefined ? undefined : errorFields(err.cause),
      },
      'turn failed',
    );
    err.logged = true;
  }

  /** Settles when the turn of this session running here (if any) has ended. */
  async settled(sessionId: string): Promise<void> {
    await this.running.get(sessionId);
  }

  /**
   * Completes the turns a crash or a kill left half done: every session whose claim lapsed
   * (grading, the follow-up decision, asking the next question), and at start-up also grades
   * left unfinished without a claim. Returns how many sessions continued.
   */
  async recover(onError: (sessionId: string, e: unknown) => void = () => {}, atStartUp = true) {
    if (this.draining) return 0;
    const now = this.now();
    // Claimed here for this process, a batch at a time: two replicas recovering at once never take the same session.
    const ids = new Set(await this.store.claimLapsed(this.owner, now, new Date(now.getTime() + this.deps.leaseMs), 100));
    if (atStartUp) for (const id of await this.store.sessionsWithUnfinishedGrades()) ids.add(id);
    const queue = [...ids].filter((id) => !this.running.has(id));
    let done = 0;
    // A few at a time: one slow model call does not hold up the other handed-over turns.
    const worker = async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        try {
          // Completed under the key of the request the crash cut off, so that request sent again replays the result.
          const cut = await this.store.runningIdempotency(id);
          // As part of the request it was for: its lines carry that request's id, its spans join its trace.
          const session = await this.store.session(id);
          const request = { id: session?.turnRequestId ?? undefined, traceParent: session?.turnTraceParent ?? undefined };
          await asPartOf(request, this.deps.tracer, id, async () => {
            await this.turn(id, { action: 'retry', resume: cut });
            this.deps.logger?.info({ event: 'turn_recovered', session: id }, 'turn recovered');
          });
          this.deps.meter?.recovered();
          done++;
        } catch (e) {
          // Another replica took it first: it is being completed.
          if (!(isAppError(e) && e.code === 'conflict')) onError(id, e);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(RECOVERY_CONCURRENCY, queue.length) }, worker));
    return done;
  }

  /**
   * Graceful shutdown: no new turn starts (503), turns running here get up to `graceMs` to end,
   * and the claims of any still running are given up at once, so another replica's recovery
   * completes them instead of waiting for the lease to lapse.
   */
  async drain(graceMs: number): Promise<{ finished: number; released: number; handedOver: { session: string; reqId?: string }[] }> {
    this.draining = true;
    const running = [...this.running.entries()];
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    await Promise.race([Promise.allSettled(running.map(([, p]) => p)), timeout]);
    const left = [...this.running.keys()];
    const past = new Date(0);
    await Promise.all(left.map((id) => this.store.renewClaim(id, this.owner, past).catch(() => {})));
    // Their clients are told to ask again: another replica completes the turn and replays it.
    for (const id of left) this.handovers.get(id)?.(RESEND_AFTER_S);
    // With the ids of their requests, which the replica completing them logs under.
    const requestOf = async (id: string) => (await this.store.session(id).catch(() => undefined))?.turnRequestId ?? undefined;
    const handedOver = await Promise.all(left.map(async (id) => ({ session: id, reqId: await requestOf(id) })));
    return { finished: running.length - left.length, released: left.length, handedOver };
  }

  /** True from the start of a shutdown: no new turn starts here, and readiness says so. */
  get isDraining() {
    return this.draining;
  }
}

/** How many handed-over turns recovery runs at once. */
const RECOVERY_CONCURRENCY = 4;
/** When a client should send a request again whose turn is being completed elsewhere. */
const RESEND_AFTER_S = 3;
const SAVED_AND_RUNNING =
  'Your answer is saved and its reply is still being written (after a restart it is completed for you): send the same request again in a few seconds to get it';

/** A claim its holder stopped renewing: the process crashed or was killed mid-turn. */
function claimLapsed(session: SessionRow, now: Date): boolean {
  return !session.turnClaimedBy || !session.turnClaimedUntil || session.turnClaimedUntil <= now.toISOString();
}
