import { createHash, randomUUID } from 'node:crypto';
import { LOCAL_USER } from '../accounts/accounts.js';
import type { Bank } from '../bank/bank.js';
import { type BankEntry, CATEGORIES } from '../bank/schema.js';
import type { MessageRow, SessionQuestionRow, SessionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { databaseError } from '../db/errors.js';
import { AppError, isAppError, ModelError } from '../errors.js';
import type { Rubric } from '../grading/rubrics.js';
import { checkAnswer, inputForQuestion } from '../grading/service.js';
import type { Grader } from '../grading/types.js';
import { loadPrompt, render } from '../llm/prompts.js';
import { addUsage, type Usage } from '../llm/usage.js';
import { buildDebrief, type Debrief } from './debrief.js';
import { answersOf, type ExchangeMessage, type Interviewer, type TurnContext } from './interviewer.js';
import {
  type CreateSessionRequest,
  DEFAULT_MAX_FOLLOW_UPS,
  type GradeEvent,
  type Message,
  type Session,
  type TurnResult,
} from './schemas.js';
import { selectQuestions, TIME_BOX } from './selection.js';
import { CATEGORY_LABEL, requireSession, SessionViews } from './views.js';
import { isStar, recordingRow } from '../voice/recordings.js';
import type { BrowserSpeech } from '../voice/schemas.js';

/**
 * The interview loop as a state machine over stored state. Each question goes
 * pending → asked → (candidate answer → follow-up)* → grading → graded | skipped, and the session
 * active → (finishing) → finished. Every step reads what is stored, does one thing and stores its
 * result in a transaction, so a failed model call or a restart resumes where it stopped: the
 * candidate's answer is always stored before any model is called. The follow-up cap and the
 * order of questions are enforced here, not by a model.
 */

export interface LoopDeps {
  store: Store;
  bank: Bank;
  rubrics: Map<string, Rubric>;
  grader: Grader;
  interviewer: Interviewer;
  provider: string;
  model: string | null;
  /** The whole turn's time limit, every model call and retry included (OPENAI_TIMEOUT_MS). */
  turnTimeoutMs: number;
  /** How long a turn's claim on its session holds without renewal; a crashed turn lapses after it (TURN_LEASE_MS). */
  leaseMs: number;
  now?: () => Date;
  /** One line per failed turn; never the answer text. */
  log?: (line: string) => void;
  /** Model tokens a turn used, for the session's owner (usage and budgets). */
  onUsage?: (userId: string, usage: Usage) => void;
}

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

export class InterviewLoop {
  /** Turns running in this process, by session: a delete waits for them. */
  private readonly running = new Map<string, Promise<unknown>>();
  /** Who this process is, in the turn claims it writes. */
  private readonly owner = `${process.pid}-${randomUUID()}`;
  private readonly now: () => Date;
  private readonly store: Store;
  readonly views: SessionViews;
  /** Set on shutdown: no new turn starts. */
  private draining = false;
  /** How to tell each running turn's client that the turn is handed over (a shutdown). */
  private readonly handovers = new Map<string, (retryAfter: number) => void>();
  /** The Idempotency-Key of each turn running here, so a resend of it is told its answer is saved. */
  private readonly runningKey = new Map<string, string | undefined>();
  /** Recovery rounds that failed (the database did not answer): reported by health. */
  recoveryFailures = 0;

  constructor(private readonly deps: LoopDeps) {
    this.now = deps.now ?? (() => new Date());
    this.store = deps.store;
    this.views = new SessionViews(this.store, deps.bank);
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  async createSession(req: CreateSessionRequest, userId: string = LOCAL_USER.id): Promise<Session> {
    const { store, rubrics, bank } = this.deps;
    const explicitSeed = req.seed !== undefined;
    const seed = req.seed ?? randomUUID();
    const picked = selectQuestions({
      bank: bank.entries,
      mix: req.mix,
      questionIds: req.questionIds,
      topics: req.topics,
      seed,
      // With an explicit seed the loop is reproducible; without one, recent questions are avoided.
      recent: explicitSeed ? undefined : await store.recentQuestionIds(userId, 5),
    });
    for (const q of picked) if (!rubrics.has(q.rubric)) throw new AppError('internal', `rubric "${q.rubric}" is not loaded`);
    const id = randomUUID();
    const at = this.now();
    const maxFollowUps = req.maxFollowUps ?? DEFAULT_MAX_FOLLOW_UPS;
    await store.transaction(async (tx) => {
      const rows = await tx.insertSession(
        {
          id,
          userId,
          status: 'active',
          request: { ...req, seed },
          seed,
          maxFollowUps,
          currentPosition: 0,
          provider: this.deps.provider,
          model: this.deps.model,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
          finishedAt: null,
          turnClaimedBy: null,
          turnClaimedUntil: null,
        },
        picked.map((q, position) => ({
          position,
          questionId: q.id,
          state: position === 0 ? 'asked' : 'pending',
          followUps: 0,
          timeBoxSeconds: TIME_BOX[q.category],
          askedAt: position === 0 ? at.toISOString() : null,
          answeredAt: null,
          doneAt: null,
          question: q,
        })),
      );
      await say(tx, id, null, 'opening', this.opening(picked, maxFollowUps), at);
      await say(tx, id, rows[0]!.id, 'question', picked[0]!.prompt, at);
    });
    return this.views.get(id, userId);
  }

  answer(sessionId: string, text: unknown, events: LoopEvents = {}) {
    return this.turn(sessionId, { action: 'answer', text: checkAnswer(text) }, events).then((t) => t.result);
  }

  /** Runs the open turn again (after a model failure) without re-sending the answer. */
  retry(sessionId: string, events: LoopEvents = {}) {
    return this.turn(sessionId, { action: 'retry' }, events).then((t) => t.result);
  }

  skip(sessionId: string, events: LoopEvents = {}) {
    return this.turn(sessionId, { action: 'skip' }, events).then((t) => t.result);
  }

  finish(sessionId: string, events: LoopEvents = {}) {
    return this.turn(sessionId, { action: 'finish' }, events).then((t) => t.result);
  }

  /**
   * One turn: claim the session and store its input in one short BEGIN IMMEDIATE transaction (a
   * second request for the same session, in this process or another, gets a 409 instead of
   * running alongside), then run the state machine under one deadline for the whole turn, with
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
    const fingerprint = req.resume
      ? req.resume.fingerprint
      : req.idempotencyKey
        ? createHash('sha256')
            .update(
              JSON.stringify([
                req.action,
                req.text ?? null,
                req.position ?? null,
                req.replyTo ?? null,
                req.recordingId ?? null,
                req.speech ?? null,
              ]),
            )
            .digest('hex')
        : undefined;
    // Marked running before the first await, so a second request in this process is a 409 at once.
    let release!: () => void;
    this.running.set(sessionId, new Promise<void>((r) => (release = r)));
    this.runningKey.set(sessionId, req.idempotencyKey);
    let begun: Awaited<ReturnType<InterviewLoop['begin']>>;
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
          const result = await this.runTurn(sessionId, begun.stored, events, signal, spent);
          await this.end(sessionId, req, fingerprint, { state: 'done', result });
          return result;
        } catch (e) {
          const err = await this.explain(sessionId, e);
          await this.end(sessionId, req, fingerprint, { state: 'failed' });
          await this.logFailure(sessionId, req.action, err, Date.now() - started);
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

  /** Checks, claims and stores the turn's input in one transaction; or finds the stored result to replay. */
  private begin(
    sessionId: string,
    req: TurnRequest,
    fingerprint: string | undefined,
  ): Promise<{ stored: MessageRow[]; owner: string } | { replay: TurnResult }> {
    return this.store.transaction(async (tx) => {
      const at = this.now();
      // Locked for this transaction: another replica's turn on the same session waits here, then sees the claim.
      const session = await requireSession(tx, sessionId, req.userId, true);
      let action = req.action;
      if (req.idempotencyKey && fingerprint) {
        const seen = await tx.idempotency(sessionId, req.idempotencyKey);
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
      if (session.status === 'finished') throw new AppError('conflict', 'This session is finished: start a new one to keep practising');
      if (!(await tx.claimTurn(sessionId, this.owner, at, new Date(at.getTime() + this.deps.leaseMs)))) {
        throw new AppError('conflict', 'Your previous message is still being answered: wait for the reply, then send again');
      }
      const current = (await tx.questions(sessionId))[session.currentPosition];
      if (!current) throw new AppError('internal', 'The session has no current question');
      const stored: MessageRow[] = [];
      if (action === 'answer') {
        const star = req.speech
          ? isStar((await tx.snapshot(current.id)) ?? this.deps.bank.require(current.questionId), this.deps.rubrics)
          : false;
        stored.push(await acceptAnswer(tx, session, current, req, star, at));
      }
      if (action === 'skip' && current.state === 'asked') stored.push(...(await closeQuestion(tx, sessionId, current, 'skip', at)));
      if (action === 'finish') {
        if (current.state === 'asked') stored.push(...(await closeQuestion(tx, sessionId, current, 'finish', at)));
        await tx.updateSession(sessionId, { status: 'finishing', updatedAt: at.toISOString() });
      }
      if (req.idempotencyKey && fingerprint) {
        await tx.saveIdempotency({ sessionId, key: req.idempotencyKey, fingerprint, state: 'running', at });
      }
      return { stored, owner: session.userId };
    });
  }

  /** Releases the claim and records the turn's outcome against its idempotency key. */
  private async end(
    sessionId: string,
    req: TurnRequest,
    fingerprint: string | undefined,
    outcome: { state: 'done' | 'failed'; result?: TurnResult },
  ) {
    try {
      await this.store.transaction(async (tx) => {
        if (req.idempotencyKey && fingerprint) {
          await tx.saveIdempotency({
            sessionId,
            key: req.idempotencyKey,
            fingerprint,
            state: outcome.state,
            result: outcome.result,
            at: this.now(),
          });
        }
        await tx.releaseClaim(sessionId, this.owner);
      });
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
    if (!this.deps.log || err.code === 'conflict' || err.code === 'not_found') return;
    const session = await this.store.session(sessionId).catch(() => undefined);
    this.deps.log(
      JSON.stringify({
        level: 'error',
        event: 'turn_failed',
        session: sessionId,
        position: session?.currentPosition ?? null,
        action,
        code: err.code,
        upstreamStatus: err instanceof ModelError ? (err.upstreamStatus ?? null) : null,
        durationMs,
        message: err.message,
        // What went wrong underneath (a validation problem, a socket error); never the answer.
        cause: err.cause instanceof Error ? err.cause.message.slice(0, 300) : undefined,
      }),
    );
    err.logged = true;
  }

  /** Deletes a session and everything in it; a turn of it running in this process is waited for first. */
  async deleteSession(sessionId: string, userId?: string) {
    await this.views.require(sessionId, userId);
    await this.running.get(sessionId);
    if (!(await this.store.deleteSession(sessionId))) throw new AppError('not_found', `No session with id "${sessionId}"`);
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
          await this.turn(id, { action: 'retry', resume: cut });
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
  async drain(graceMs: number): Promise<{ finished: number; released: number }> {
    this.draining = true;
    const running = [...this.running.entries()];
    const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), graceMs).unref());
    await Promise.race([Promise.allSettled(running.map(([, p]) => p)), timeout]);
    const left = [...this.running.keys()];
    const past = new Date(0);
    await Promise.all(left.map((id) => this.store.renewClaim(id, this.owner, past).catch(() => {})));
    // Their clients are told to ask again: another replica completes the turn and replays it.
    for (const id of left) this.handovers.get(id)?.(RESEND_AFTER_S);
    return { finished: running.length - left.length, released: left.length };
  }

  /** True from the start of a shutdown: no new turn starts here, and readiness says so. */
  get isDraining() {
    return this.draining;
  }

  /**
   * Keeps recovering, for turns another process (or a previous run of this one) left behind. A
   * failure to reach the database never escapes: it is reported, counted and tried again later,
   * the wait doubling up to RECOVERY_BACKOFF_MAX_MS, and back to `everyMs` once it works.
   */
  startRecovery(
    everyMs: number,
    onError: (sessionId: string, e: unknown) => void = () => {},
    onFailure: (e: unknown, retryInMs: number) => void = () => {},
  ): () => void {
    let stopped = false;
    let delay = everyMs;
    let timer: NodeJS.Timeout;
    const tick = async () => {
      try {
        await this.recover(onError, false);
        delay = everyMs;
      } catch (e) {
        this.recoveryFailures++;
        delay = Math.min(RECOVERY_BACKOFF_MAX_MS, delay * 2);
        onFailure(e, delay);
      }
      if (!stopped) (timer = setTimeout(tick, delay)).unref();
    };
    (timer = setTimeout(tick, everyMs)).unref();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }

  // -------------------------------------------------------------------------------------------
  // The state machine

  private async runTurn(
    sessionId: string,
    stored: MessageRow[],
    events: LoopEvents,
    signal: AbortSignal,
    spent: { usage?: Usage },
  ): Promise<TurnResult> {
    const grades: GradeEvent[] = [];
    const said: Message[] = [];
    const questions = await this.advance(
      sessionId,
      {
        ...events,
        message: (m) => {
          said.push(m);
          events.message?.(m);
        },
        grade: (g) => {
          grades.push(g);
          events.grade?.(g);
        },
      },
      signal,
      spent,
    );
    // Lean: what this call stored and where the session stands; the whole session is GET /api/sessions/:id.
    return {
      messages: [...stored.map((m) => this.views.message(m, questions)), ...said],
      grades,
      session: await this.views.state(sessionId),
    };
  }

  /**
   * Steps until the loop waits for the candidate or the session is finished. The session and its
   * questions are read once and kept in step with each write; each step stores its result in a
   * transaction before the next model call.
   */
  private async advance(
    sessionId: string,
    events: LoopEvents,
    signal: AbortSignal,
    spent: { usage?: Usage },
  ): Promise<SessionQuestionRow[]> {
    const { store } = this;
    let pendingUsage: Usage | undefined;
    const session = await this.views.require(sessionId);
    const all = await store.questions(sessionId);
    for (let guard = 0; guard < 100; guard++) {
      if (session.status === 'finished') return all;
      const current = all[session.currentPosition]!;
      const ctx = () => this.turnContext(session, all, current);

      if (current.state === 'asked') {
        const last = (await store.questionMessages(current.id)).at(-1);
        if (!last || last.role !== 'candidate' || last.kind !== 'answer') return all; // waiting for the candidate
        if (current.followUps < session.maxFollowUps) {
          const c = await ctx();
          const { decision, usage } = await this.deps.interviewer.decide(c, signal);
          pendingUsage = addUsage(pendingUsage, usage);
          spent.usage = addUsage(spent.usage, usage);
          if (decision.action === 'followup') {
            const spoken = await this.deps.interviewer.followUp(c, decision, (t) => events.token?.(t), signal);
            spent.usage = addUsage(spent.usage, spoken.usage);
            const at = this.now();
            const row = await store.transaction(async (tx) => {
              const m = await say(tx, sessionId, current.id, 'followup', spoken.text, at, addUsage(pendingUsage, spoken.usage));
              await tx.countFollowUp(current.id);
              await tx.touch(sessionId, at);
              return m;
            });
            current.followUps++;
            events.message?.(this.views.message(row, all));
            return all;
          }
        }
        await store.setQuestionState(current.id, 'grading');
        current.state = 'grading';
        continue;
      }

      if (current.state === 'grading') {
        const c = await ctx();
        const exchange = c.exchange.filter((m) => m.kind !== 'opening').map((m) => ({ role: m.role, content: m.content }));
        const answer = answersOf(c.exchange);
        const at = this.now();
        if (!answer.trim()) {
          await store.setQuestionState(current.id, 'skipped', at);
          current.state = 'skipped';
          continue;
        }
        const { grade, usage } = await this.deps.grader.grade(inputForQuestion(c.question, this.deps.rubrics, answer, exchange), {
          signal,
        });
        const gradedAt = this.now();
        await store.transaction(async (tx) => {
          await tx.insertGrade({ sessionId, sessionQuestionId: current.id, grade, usage, at: gradedAt });
          await tx.setQuestionState(current.id, 'graded', gradedAt);
        });
        current.state = 'graded';
        events.grade?.({ sessionQuestionId: current.id, position: current.position, grade });
        continue;
      }

      if (current.state === 'graded' || current.state === 'skipped') {
        const next = session.status === 'active' ? all[current.position + 1] : undefined;
        const c = await ctx();
        const nextInfo = next ? { position: next.position, total: all.length, category: (await this.question(next)).category } : undefined;
        const spoken = await this.deps.interviewer.transition(c, nextInfo, (t) => events.token?.(t), signal);
        spent.usage = addUsage(spent.usage, spoken.usage);
        const usage = addUsage(pendingUsage, spoken.usage);
        const tail = next ? (await this.question(next)).prompt : loadPrompt('closing.md').trim();
        const joiner = '\n\n';
        events.token?.(joiner);
        events.token?.(tail);
        const content = `${spoken.text}${joiner}${tail}`;
        const at = this.now();
        if (next) {
          const row = await store.transaction(async (tx) => {
            const m = await say(tx, sessionId, next.id, 'question', content, at, usage);
            await tx.askQuestion(next.id, at);
            await tx.moveTo(sessionId, next.position, at);
            return m;
          });
          next.state = 'asked';
          session.currentPosition = next.position;
          events.message?.(this.views.message(row, all));
          return all;
        }
        const debrief = await this.debrief(sessionId, all);
        const row = await store.transaction(async (tx) => {
          const m = await say(tx, sessionId, null, 'closing', content, at, usage);
          await tx.saveDebrief(sessionId, debrief, at);
          await tx.updateSession(sessionId, { status: 'finished', finishedAt: at.toISOString(), updatedAt: at.toISOString() });
          return m;
        });
        session.status = 'finished';
        events.message?.(this.views.message(row, all));
        return all;
      }

      // 'pending' as current only happens if a session was cut off before its first question.
      await store.askQuestion(current.id, this.now());
      current.state = 'asked';
    }
    throw new AppError('internal', 'The interview loop did not settle');
  }

  private async turnContext(session: SessionRow, all: SessionQuestionRow[], current: SessionQuestionRow): Promise<TurnContext> {
    const question = await this.question(current);
    const exchange: ExchangeMessage[] = (await this.store.questionMessages(current.id)).map((m) => ({
      role: m.role,
      kind: m.kind,
      content: m.content,
    }));
    return {
      question,
      rubric: this.deps.rubrics.get(question.rubric)!,
      exchange,
      followUpsUsed: current.followUps,
      maxFollowUps: session.maxFollowUps,
      // Only a model interviewer reads it.
      summary: () => this.summary(session.id, all, current.position),
    };
  }

  /** A compact, bounded summary of the questions before this one. */
  private async summary(sessionId: string, all: SessionQuestionRow[], position: number): Promise<string> {
    const earlier = all.slice(0, position);
    if (!earlier.length) return `This is question 1 of ${all.length}.`;
    const scores = (await this.store.scores(sessionId))
      .filter((g) => earlier.some((q) => q.id === g.sessionQuestionId))
      .map((g) => g.score);
    const skipped = earlier.filter((q) => q.state === 'skipped').length;
    const mean = scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
    const last = await this.question(earlier.at(-1)!);
    return `This is question ${position + 1} of ${all.length}. Earlier: ${scores.length} graded${mean === null ? '' : ` (mean ${mean}/100)`}, ${skipped} skipped; the previous one was ${CATEGORY_LABEL[last.category]}.`;
  }

  private opening(picked: BankEntry[], maxFollowUps: number): string {
    const counts = CATEGORIES.map((c) => ({ c, n: picked.filter((q) => q.category === c).length })).filter((x) => x.n > 0);
    const minutes = picked.reduce((s, q) => s + TIME_BOX[q.category] / 60, 0);
    return render(loadPrompt('opening.md'), {
      count: String(picked.length),
      breakdown: counts.map((x) => `${x.n} ${CATEGORY_LABEL[x.c]}`).join(', '),
      minutes: String(minutes),
      follow_ups: String(maxFollowUps),
      grader:
        this.deps.grader.kind === 'offline'
          ? 'You are using the offline interviewer and grader: no AI model is involved, feedback comes from rubric rules and the reference answers.'
          : `Your answers are graded by ${this.deps.model ?? 'the configured model'} against the reference answers and rubrics.`,
    }).trim();
  }

  private async debrief(sessionId: string, all: SessionQuestionRow[]): Promise<Debrief> {
    const gradeBy = new Map((await this.store.grades(sessionId)).map((g) => [g.sessionQuestionId, g.grade]));
    const questions = await Promise.all(
      all.map(async (q) => ({ question: await this.question(q), state: q.state, grade: gradeBy.get(q.id) })),
    );
    const deliveries = (await this.store.recordings(sessionId)).filter((r) => r.messageId !== null).map((r) => r.delivery);
    return buildDebrief({ questions, rubrics: this.deps.rubrics, deliveries });
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  /** The question as it was asked (its snapshot), or from the bank for sessions stored before snapshots. */
  private async question(sq: SessionQuestionRow): Promise<BankEntry> {
    return (await this.store.snapshot(sq.id)) ?? this.deps.bank.require(sq.questionId);
  }
}

/** How many handed-over turns recovery runs at once. */
const RECOVERY_CONCURRENCY = 4;
/** The longest wait between two recovery rounds while the database fails. */
const RECOVERY_BACKOFF_MAX_MS = 30_000;
/** When a client should send a request again whose turn is being completed elsewhere. */
const RESEND_AFTER_S = 3;
const SAVED_AND_RUNNING =
  'Your answer is saved and its reply is still being written (after a restart it is completed for you): send the same request again in a few seconds to get it';

/** A claim its holder stopped renewing: the process crashed or was killed mid-turn. */
function claimLapsed(session: SessionRow, now: Date): boolean {
  return !session.turnClaimedBy || !session.turnClaimedUntil || session.turnClaimedUntil <= now.toISOString();
}

/** Stores the answer to the current question, unless it is for a question the interview has left. */
async function acceptAnswer(
  store: Store,
  session: SessionRow,
  current: SessionQuestionRow,
  req: TurnRequest,
  star: boolean,
  at: Date,
): Promise<MessageRow> {
  if (req.position !== undefined && req.position !== session.currentPosition) {
    throw new AppError(
      'conflict',
      `This answer is for question ${req.position + 1}, but the interview is on question ${session.currentPosition + 1} now: it was not saved`,
    );
  }
  if (req.replyTo !== undefined && req.replyTo !== (await store.lastInterviewerMessageId(session.id))) {
    throw new AppError('conflict', 'The interviewer has said more since the message this answer replies to: read it, then answer again');
  }
  if (current.state !== 'asked' && current.state !== 'grading') {
    throw new AppError('conflict', "The interviewer's reply to your last answer is missing: retry the turn (POST …/retry) to get it first");
  }
  if (req.recordingId !== undefined) {
    const recording = await store.recording(req.recordingId);
    if (!recording || recording.sessionId !== session.id) {
      throw new AppError('not_found', `No recording with id "${req.recordingId}" in this session: record the answer again, or type it`);
    }
    if (recording.messageId !== null) throw new AppError('conflict', 'This recording was already sent as an answer');
    if (recording.sessionQuestionId !== current.id) {
      throw new AppError('conflict', 'This recording answers a question the interview has left: it was not saved');
    }
  }
  const row = await store.insertMessage({
    sessionId: session.id,
    sessionQuestionId: current.id,
    role: 'candidate',
    kind: 'answer',
    content: req.text!,
    at,
  });
  if (req.recordingId !== undefined) await store.attachRecording(req.recordingId, row.id);
  if (req.speech) {
    const { transcript, durationSeconds, segments } = req.speech;
    const speech = { text: transcript, durationSeconds, segments };
    await store.insertRecording(
      recordingRow({ sessionId: session.id, question: current, star, source: 'browser', speech, messageId: row.id, at }),
    );
  }
  await store.markAnswered(current.id, at);
  await store.touch(session.id, at);
  return row;
}

/** Ends the current question: with answers it is graded as it stands, without it is skipped (the skip message is returned). */
async function closeQuestion(
  store: Store,
  sessionId: string,
  current: SessionQuestionRow,
  why: 'skip' | 'finish',
  at: Date,
): Promise<MessageRow[]> {
  const answered = (await store.questionMessages(current.id)).some((m) => m.role === 'candidate' && m.kind === 'answer');
  if (answered) {
    await store.setQuestionState(current.id, 'grading');
    return [];
  }
  const row = await store.insertMessage({
    sessionId,
    sessionQuestionId: current.id,
    role: 'candidate',
    kind: 'skip',
    content: why === 'skip' ? '(skipped)' : '(not answered: loop finished)',
    at,
  });
  await store.setQuestionState(current.id, 'skipped', at);
  return [row];
}

/** An interviewer message: opening, question, follow-up or closing. */
function say(
  store: Store,
  sessionId: string,
  sessionQuestionId: number | null,
  kind: MessageRow['kind'],
  content: string,
  at: Date,
  usage?: Usage,
): Promise<MessageRow> {
  return store.insertMessage({ sessionId, sessionQuestionId, role: 'interviewer', kind, content, usage, at });
}
