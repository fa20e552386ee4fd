import type { CodingRound } from './coding-round.js';
import { withCode } from './coding-probes.js';
import { randomUUID } from 'node:crypto';
import { LOCAL_USER } from '../accounts/accounts.js';
import type { Bank } from '../bank/bank.js';
import type { NewGrade } from '../db/areas/grades.js';
import type { SessionMessage } from '../db/areas/messages.js';
import type { TurnStart } from '../db/areas/turns.js';
import type { SessionQuestionRow } from '../db/rows.js';
import type { NewIdempotencyKey } from '../db/areas/sessions.js';
import type { Store } from '../db/store.js';
import { addToTotals } from '../db/shared.js';
import { AppError } from '../errors.js';
import { DEFAULT_LEVEL } from '../grading/levels.js';
import type { Rubric } from '../grading/rubrics.js';
import { checkAnswer, inputForQuestion } from '../grading/service.js';
import type { Grader } from '../grading/types.js';
import { loadPrompt } from '../llm/prompts.js';
import { addUsage, type Usage } from '../llm/usage.js';
import { answersOf, type Interviewer } from './interviewer.js';
import {
  type CreateSessionRequest,
  DEFAULT_MAX_FOLLOW_UPS,
  type GradeEvent,
  type Message,
  type Session,
  type TurnResult,
} from './schemas.js';
import type { InterviewFeedback } from './feedback.js';
import { interviewAt, type LoopPlan } from './plan.js';
import { composeSession } from './compose.js';
import type { Tailor } from '../tailor/schema.js';
import { LoopReader } from './reading.js';
import { handoffText, introText, openingText } from './wording.js';
import { TIME_BOX } from './selection.js';
import { questionNumber, SessionViews } from './views.js';
import { acceptInput, say } from './input.js';

/**
 * The interview loop as a state machine over stored state. Each question goes
 * pending → asked → (candidate answer → follow-up)* → grading → graded | skipped, and the session
 * active → (finishing) → finished. Every step reads what is stored, does one thing and stores its
 * result in one write (a statement, or a transaction) before the next model call, so a failed
 * model call or a restart resumes where it stopped: the candidate's answer is always stored
 * before any model is called. The follow-up cap and the order of questions are enforced here,
 * not by a model.
 */

/** What the loop needs; how turns run (time limit, lease, log, metrics, trace, usage) is the turn runner's (turns.ts). */
export interface LoopDeps extends Pick<TurnRunnerDeps, 'turnTimeoutMs' | 'leaseMs' | 'logger' | 'meter' | 'tracer' | 'onUsage'> {
  store: Store;
  bank: Bank;
  rubrics: Map<string, Rubric>;
  grader: Grader;
  interviewer: Interviewer;
  provider: string;
  model: string | null;
  now?: () => Date;
  /** Reads a job description and a résumé (by the model, or offline); without it the texts are kept but nothing is tailored. */
  tailor?: Tailor;
  /** The coding round (its problems, runs and sandbox), when coding problems can be asked. */
  coding?: CodingRound;
}

import { type LoopEvents, type TurnMachine, TurnRunner, type TurnRunnerDeps, type TurnRequest } from './turns.js';

export type { LoopEvents, TurnAction, TurnRequest } from './turns.js';

export class InterviewLoop implements TurnMachine {
  private readonly now: () => Date;
  private readonly store: Store;
  readonly views: SessionViews;
  private readonly reader: LoopReader;
  /** Runs each turn exactly once: claims, leases, idempotency keys, recovery, shutdown (turns.ts). */
  readonly turns: TurnRunner;

  constructor(private readonly deps: LoopDeps) {
    this.now = deps.now ?? (() => new Date());
    this.store = deps.store;
    this.views = new SessionViews(this.store, deps.bank, deps.rubrics, deps.coding);
    this.reader = new LoopReader(this.store, deps.bank, deps.rubrics, deps.coding);
    this.turns = new TurnRunner({ ...deps, views: this.views, now: this.now }, this);
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  async createSession(req: CreateSessionRequest, userId: string = LOCAL_USER.id): Promise<Session> {
    const { store, rubrics, bank } = this.deps;
    const explicitSeed = req.seed !== undefined;
    const seed = req.seed ?? randomUUID();
    const level = req.level ?? DEFAULT_LEVEL;
    // With an explicit seed the loop is reproducible; without one, recent questions are avoided.
    const recent = explicitSeed ? undefined : await store.recentQuestionIds(userId, 5);
    const {
      plan,
      questions: picked,
      tailoring,
      usage,
    } = await composeSession(req, { bank: bank.entries, level, seed, recent, tailor: this.deps.tailor });
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
          // The texts stay with the session (deleted with it, exported, replayed), and what was read from them.
          request: { ...req, level, seed, ...(tailoring && { tailoring }) },
          plan,
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
          turnRequestId: null,
          turnTraceParent: null,
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
      await say(
        tx,
        id,
        null,
        'opening',
        openingText({ picked, maxFollowUps, plan, grader: this.deps.grader.kind, model: this.deps.model }),
        at,
        // The model's reading of the job and the résumé counts with the session's tokens.
        usage,
      );
      const intro = plan ? `${introText(plan.interviews[0]!, 0, plan.interviews.length)}\n\n` : '';
      await say(tx, id, rows[0]!.id, 'question', `${intro}${picked[0]!.prompt}`, at);
    });
    if (usage) this.deps.onUsage?.(userId, usage);
    return this.views.get(id, userId);
  }

  answer(sessionId: string, text: unknown, events: LoopEvents = {}) {
    return this.turns.turn(sessionId, { action: 'answer', text: checkAnswer(text) }, events).then((t) => t.result);
  }

  /** Runs the open turn again (after a model failure) without re-sending the answer. */
  retry(sessionId: string, events: LoopEvents = {}) {
    return this.turns.turn(sessionId, { action: 'retry' }, events).then((t) => t.result);
  }

  skip(sessionId: string, events: LoopEvents = {}) {
    return this.turns.turn(sessionId, { action: 'skip' }, events).then((t) => t.result);
  }

  finish(sessionId: string, events: LoopEvents = {}) {
    return this.turns.turn(sessionId, { action: 'finish' }, events).then((t) => t.result);
  }

  /** Deletes a session and everything in it; a turn of it running in this process is waited for first. */
  async deleteSession(sessionId: string, userId?: string) {
    await this.views.require(sessionId, userId);
    await this.turns.settled(sessionId);
    if (!(await this.store.deleteSession(sessionId))) throw new AppError('not_found', `No session with id "${sessionId}"`);
  }

  // -------------------------------------------------------------------------------------------
  // The state machine

  /** Checks and stores the turn's input (input.ts). */
  accept(store: Store, start: TurnStart, req: TurnRequest, at: Date, key?: NewIdempotencyKey): Promise<SessionMessage[]> {
    return acceptInput(this.deps, store, start, req, at, key);
  }

  async run(
    start: TurnStart,
    stored: SessionMessage[],
    events: LoopEvents,
    signal: AbortSignal,
    spent: { usage?: Usage },
  ): Promise<TurnResult> {
    const grades: GradeEvent[] = [];
    const said: Message[] = [];
    const questions = await this.advance(
      start,
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
      // The session as the turn kept it in step with its writes, its running totals included: nothing is read.
      session: this.views.stateOf(start.session),
    };
  }

  /**
   * Steps until the loop waits for the candidate or the session is finished. The session, its
   * questions and the current question's messages were read as the turn claimed the session
   * (`start`) and are kept in step with each write; each step stores its result (in one call,
   * atomic) before the next model call.
   */
  private async advance(
    start: TurnStart,
    events: LoopEvents,
    signal: AbortSignal,
    spent: { usage?: Usage },
  ): Promise<SessionQuestionRow[]> {
    const { store } = this;
    let pendingUsage: Usage | undefined;
    // A grade the next question is asked with, in one write: held only when no model call comes between them.
    let gradeToStore: NewGrade | undefined;
    const { session, questions: all } = start;
    const sessionId = session.id;
    // The messages of the current question: the loop leaves a question only to return.
    const exchange = start.messages;
    for (let guard = 0; guard < 100; guard++) {
      if (session.status === 'finished') return all;
      const current = all[session.currentPosition]!;
      const ctx = () => this.reader.turnContext(session, all, current, exchange);

      if (current.state === 'asked') {
        const last = exchange.at(-1);
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
            session.updatedAt = at.toISOString();
            addToTotals(session, { message: row });
            exchange.push(row);
            events.message?.(this.views.message(row, all));
            return all;
          }
        }
        await store.setQuestionState(current.id, 'grading');
        Object.assign(current, { state: 'grading', doneAt: null });
        continue;
      }

      if (current.state === 'grading') {
        const c = await ctx();
        const exchange = c.exchange.filter((m) => m.kind !== 'opening').map((m) => ({ role: m.role, content: m.content }));
        const answer = answersOf(c.exchange);
        const at = this.now();
        if (!answer.trim()) {
          await store.setQuestionState(current.id, 'skipped', at);
          Object.assign(current, { state: 'skipped', doneAt: at.toISOString() });
          addToTotals(session, { skipped: true });
          continue;
        }
        // A coding problem is graded on its runs too: the tests decide correctness, the measured growth holds complexity.
        const code = c.coding && { code: c.coding.evidence };
        const { grade, usage } = await this.deps.grader.grade(
          { ...inputForQuestion(c.question, this.deps.rubrics, withCode(answer, c.coding?.evidence), exchange), ...code },
          { signal },
        );
        const gradedAt = this.now();
        const stored = { sessionId, sessionQuestionId: current.id, grade, usage, at: gradedAt };
        // Offline, the next question follows with no model call: the grade is stored with it.
        const askedNext = session.status === 'active' && current.position + 1 < all.length;
        if (this.deps.interviewer.kind === 'offline' && askedNext) gradeToStore = stored;
        else await store.storeGrade(stored);
        Object.assign(current, { state: 'graded', doneAt: gradedAt.toISOString() });
        addToTotals(session, { grade: stored });
        events.grade?.({ sessionQuestionId: questionNumber(current), position: current.position, grade });
        continue;
      }

      if (current.state === 'graded' || current.state === 'skipped') {
        const next = session.status === 'active' ? all[current.position + 1] : undefined;
        const c = await ctx();
        const nextInfo = next
          ? { position: next.position, total: all.length, category: (await this.reader.question(next)).category }
          : undefined;
        const spoken = await this.deps.interviewer.transition(c, nextInfo, (t) => events.token?.(t), signal);
        spent.usage = addUsage(spent.usage, spoken.usage);
        const usage = addUsage(pendingUsage, spoken.usage);
        const tail = next
          ? `${this.handoff(session.plan, current.position, next.position)}${(await this.reader.question(next)).prompt}`
          : loadPrompt('closing.md').trim();
        const joiner = '\n\n';
        events.token?.(joiner);
        events.token?.(tail);
        const content = `${spoken.text}${joiner}${tail}`;
        const at = this.now();
        if (next) {
          const row = await store.askNext(
            { sessionId, sessionQuestionId: next.id, role: 'interviewer', kind: 'question', content, usage, at },
            next.position,
            gradeToStore,
          );
          Object.assign(next, { state: 'asked', askedAt: at.toISOString() });
          session.currentPosition = next.position;
          session.updatedAt = at.toISOString();
          addToTotals(session, { message: row });
          events.message?.(this.views.message(row, all));
          return all;
        }
        const debrief = await this.reader.debrief(session, all);
        // A model interviewer words each interviewer's written feedback; the votes and ratings stay ours.
        const phrased = debrief.meeting ? await this.phrase(debrief.meeting.feedback, signal) : undefined;
        if (phrased && debrief.meeting) debrief.meeting.feedback = phrased.feedback;
        spent.usage = addUsage(spent.usage, phrased?.usage);
        const row = await store.transaction(async (tx) => {
          const m = await say(tx, sessionId, null, 'closing', content, at, addUsage(usage, phrased?.usage));
          await tx.saveDebrief(sessionId, debrief, at);
          await tx.updateSession(sessionId, { status: 'finished', finishedAt: at.toISOString(), updatedAt: at.toISOString() });
          return m;
        });
        Object.assign(session, { status: 'finished', finishedAt: at.toISOString(), updatedAt: at.toISOString() });
        addToTotals(session, { message: row });
        events.message?.(this.views.message(row, all));
        return all;
      }

      // 'pending' as current only happens if a session was cut off before its first question.
      const askedAt = this.now();
      await store.askQuestion(current.id, askedAt);
      Object.assign(current, { state: 'asked', askedAt: askedAt.toISOString() });
    }
    throw new AppError('internal', 'The interview loop did not settle');
  }

  /**
   * The model's wording of the written feedback, best effort: the votes are decided without it,
   * so a model that cannot word them (or fails) leaves our own words and the loop still ends.
   */
  private async phrase(feedback: InterviewFeedback[], signal: AbortSignal) {
    if (!this.deps.interviewer.phraseFeedback) return undefined;
    try {
      return await this.deps.interviewer.phraseFeedback(feedback, signal);
    } catch (e) {
      if (signal.aborted) throw e;
      this.deps.logger?.warn(
        { event: 'feedback_wording_failed', code: (e as { code?: string }).code ?? 'internal' },
        'feedback wording failed',
      );
      return undefined;
    }
  }

  /** Between two interviews of a loop, the handoff to the next interviewer (with a blank line after); else nothing. */
  private handoff(plan: LoopPlan | null, from: number, to: number): string {
    const a = interviewAt(plan, from);
    const b = interviewAt(plan, to);
    if (!plan || a === undefined || b === undefined || a === b) return '';
    return `${handoffText(plan.interviews[a]!, plan.interviews[b]!, b, plan.interviews.length)}\n\n`;
  }
}
