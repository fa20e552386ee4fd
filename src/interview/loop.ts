import { randomUUID } from 'node:crypto';
import { LOCAL_USER } from '../accounts/accounts.js';
import type { Bank } from '../bank/bank.js';
import { type BankEntry, CATEGORIES } from '../bank/schema.js';
import type { SessionMessage } from '../db/areas/messages.js';
import type { SessionQuestionRow, SessionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { AppError } from '../errors.js';
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
import { CATEGORY_LABEL, questionNumber, SessionViews } from './views.js';
import { acceptInput, say } from './input.js';

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

import { type LoopEvents, type TurnMachine, TurnRunner, type TurnRequest } from './turns.js';

export type { LoopEvents, TurnAction, TurnRequest } from './turns.js';

export class InterviewLoop implements TurnMachine {
  private readonly now: () => Date;
  private readonly store: Store;
  readonly views: SessionViews;
  /** Runs each turn exactly once: claims, leases, idempotency keys, recovery, shutdown (turns.ts). */
  readonly turns: TurnRunner;

  constructor(private readonly deps: LoopDeps) {
    this.now = deps.now ?? (() => new Date());
    this.store = deps.store;
    this.views = new SessionViews(this.store, deps.bank);
    this.turns = new TurnRunner(
      {
        store: this.store,
        views: this.views,
        now: this.now,
        turnTimeoutMs: deps.turnTimeoutMs,
        leaseMs: deps.leaseMs,
        log: deps.log,
        onUsage: deps.onUsage,
      },
      this,
    );
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
  accept(tx: Store, session: SessionRow, req: TurnRequest, at: Date): Promise<SessionMessage[]> {
    return acceptInput(this.deps, tx, session, req, at);
  }

  async run(
    sessionId: string,
    stored: SessionMessage[],
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
        events.grade?.({ sessionQuestionId: questionNumber(current), position: current.position, grade });
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
