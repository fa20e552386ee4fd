import { randomUUID } from 'node:crypto';
import type { Bank } from '../bank/bank.js';
import { type BankEntry, CATEGORIES } from '../bank/schema.js';
import type { Db } from '../db/client.js';
import { sessionQuestions, sessions } from '../db/schema.js';
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
import * as store from './store.js';
import { CATEGORY_LABEL, SessionViews } from './views.js';

/**
 * The interview loop as a state machine over stored state. Each question goes
 * pending → asked → (candidate answer → follow-up)* → grading → graded | skipped, and the session
 * active → (finishing) → finished. Every step reads what is stored, does one thing and stores its
 * result in a transaction, so a failed model call or a restart resumes where it stopped: the
 * candidate's answer is always stored before any model is called. The follow-up cap and the
 * order of questions are enforced here, not by a model.
 */

export interface LoopDeps {
  db: Db;
  bank: Bank;
  rubrics: Map<string, Rubric>;
  grader: Grader;
  interviewer: Interviewer;
  provider: string;
  model: string | null;
  now?: () => Date;
}

export interface LoopEvents {
  /** A piece of the interviewer message being written. */
  token?: (text: string) => void;
  /** A complete interviewer message, already stored. */
  message?: (message: Message) => void;
  grade?: (grade: GradeEvent) => void;
}

export class InterviewLoop {
  private readonly locks = new Map<string, Promise<unknown>>();
  private readonly now: () => Date;
  readonly views: SessionViews;

  constructor(private readonly deps: LoopDeps) {
    this.now = deps.now ?? (() => new Date());
    this.views = new SessionViews(deps.db, deps.bank);
  }

  /** Runs one operation per session at a time: two answers sent together are handled in turn. */
  private async withLock<T>(sessionId: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(sessionId) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(fn);
    const tail = run.catch(() => undefined);
    this.locks.set(sessionId, tail);
    try {
      return await run;
    } finally {
      if (this.locks.get(sessionId) === tail) this.locks.delete(sessionId);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Commands

  createSession(req: CreateSessionRequest): Session {
    const { db, rubrics, bank } = this.deps;
    const explicitSeed = req.seed !== undefined;
    const seed = req.seed ?? randomUUID();
    const picked = selectQuestions({
      bank: bank.entries,
      mix: req.mix,
      questionIds: req.questionIds,
      topics: req.topics,
      seed,
      // With an explicit seed the loop is reproducible; without one, recent questions are avoided.
      recent: explicitSeed ? undefined : store.recentQuestionIds(db),
    });
    for (const q of picked) if (!rubrics.has(q.rubric)) throw new AppError('internal', `rubric "${q.rubric}" is not loaded`);
    const id = randomUUID();
    const at = this.now();
    const maxFollowUps = req.maxFollowUps ?? DEFAULT_MAX_FOLLOW_UPS;
    db.transaction((t) => {
      t.insert(sessions)
        .values({
          id,
          status: 'active',
          request: { ...req, seed },
          seed,
          maxFollowUps,
          currentPosition: 0,
          provider: this.deps.provider,
          model: this.deps.model,
          createdAt: at.toISOString(),
          updatedAt: at.toISOString(),
        })
        .run();
      const rows = picked.map((q, position) =>
        t
          .insert(sessionQuestions)
          .values({
            sessionId: id,
            position,
            questionId: q.id,
            state: position === 0 ? 'asked' : 'pending',
            followUps: 0,
            timeBoxSeconds: TIME_BOX[q.category],
            askedAt: position === 0 ? at.toISOString() : null,
          })
          .returning()
          .get(),
      );
      store.insertInterviewerMessage(t, id, null, 'opening', this.opening(picked, maxFollowUps), at);
      store.insertInterviewerMessage(t, id, rows[0]!.id, 'question', picked[0]!.prompt, at);
    });
    return this.views.get(id);
  }

  async answer(sessionId: string, text: unknown, events: LoopEvents = {}) {
    const answer = checkAnswer(text);
    return this.withLock(sessionId, async () => {
      const { session, current } = this.openTurn(sessionId);
      if (current.state !== 'asked' && current.state !== 'grading') {
        throw new AppError(
          'conflict',
          'The next question has not been asked yet because the interviewer failed: retry the turn (POST …/retry) first',
        );
      }
      const firstMark = this.lastMessageId(sessionId);
      const at = this.now();
      this.deps.db.transaction((t) => {
        store.insertMessage(t, { sessionId, sessionQuestionId: current.id, role: 'candidate', kind: 'answer', content: answer, at });
        if (!current.answeredAt) store.updateSessionQuestion(t, current.id, { answeredAt: at.toISOString() });
        store.updateSession(t, session.id, { updatedAt: at.toISOString() });
      });
      return this.runTurn(sessionId, firstMark, events);
    });
  }

  /** Runs the open turn again (after a model failure) without re-sending the answer. */
  async retry(sessionId: string, events: LoopEvents = {}) {
    return this.withLock(sessionId, async () => {
      this.openTurn(sessionId);
      return this.runTurn(sessionId, this.lastMessageId(sessionId), events);
    });
  }

  async skip(sessionId: string, events: LoopEvents = {}) {
    return this.withLock(sessionId, async () => {
      const { current } = this.openTurn(sessionId);
      const firstMark = this.lastMessageId(sessionId);
      if (current.state === 'asked') this.closeQuestion(sessionId, current, 'skip');
      return this.runTurn(sessionId, firstMark, events);
    });
  }

  async finish(sessionId: string, events: LoopEvents = {}) {
    return this.withLock(sessionId, async () => {
      const session = this.requireSession(sessionId);
      if (session.status === 'finished') throw new AppError('conflict', 'This session is already finished');
      const firstMark = this.lastMessageId(sessionId);
      const current = store.sessionQuestionRows(this.deps.db, sessionId)[session.currentPosition];
      if (current?.state === 'asked') this.closeQuestion(sessionId, current, 'finish');
      store.updateSession(this.deps.db, sessionId, { status: 'finishing', updatedAt: this.now().toISOString() });
      return this.runTurn(sessionId, firstMark, events);
    });
  }

  deleteSession(sessionId: string) {
    if (!store.deleteSession(this.deps.db, sessionId)) throw new AppError('not_found', `No session with id "${sessionId}"`);
  }

  /** At start-up: completes the grades (and the turns after them) that a crash or restart left open. */
  async recover(onError: (sessionId: string, e: unknown) => void = () => {}) {
    let done = 0;
    for (const id of store.sessionsWithUnfinishedGrades(this.deps.db)) {
      try {
        await this.retry(id);
        done++;
      } catch (e) {
        onError(id, e);
      }
    }
    return done;
  }

  // -------------------------------------------------------------------------------------------
  // The state machine

  private async runTurn(sessionId: string, afterMessageId: number, events: LoopEvents): Promise<TurnResult> {
    const newGrades: GradeEvent[] = [];
    await this.advance(sessionId, {
      ...events,
      grade: (g) => {
        newGrades.push(g);
        events.grade?.(g);
      },
    });
    const view = this.views.get(sessionId);
    return {
      messages: view.messages.filter((m) => m.id > afterMessageId),
      grades: newGrades,
      session: view,
    };
  }

  /** Steps until the loop waits for the candidate or the session is finished. */
  private async advance(sessionId: string, events: LoopEvents) {
    const { db } = this.deps;
    let pendingUsage: Usage | undefined;
    for (let guard = 0; guard < 100; guard++) {
      const session = this.requireSession(sessionId);
      if (session.status === 'finished') return;
      const all = store.sessionQuestionRows(db, sessionId);
      const current = all[session.currentPosition]!;
      const ctx = () => this.turnContext(session, all, current);

      if (current.state === 'asked') {
        const msgs = store.messageRows(db, sessionId).filter((m) => m.sessionQuestionId === current.id);
        const last = msgs.at(-1);
        if (!last || last.role !== 'candidate' || last.kind !== 'answer') return; // waiting for the candidate
        if (current.followUps < session.maxFollowUps) {
          const c = ctx();
          const { decision, usage } = await this.deps.interviewer.decide(c);
          pendingUsage = addUsage(pendingUsage, usage);
          if (decision.action === 'followup') {
            const spoken = await this.deps.interviewer.followUp(c, decision, (t) => events.token?.(t));
            const at = this.now();
            const row = db.transaction((t) => {
              const m = store.insertInterviewerMessage(
                t,
                sessionId,
                current.id,
                'followup',
                spoken.text,
                at,
                addUsage(pendingUsage, spoken.usage),
              );
              store.updateSessionQuestion(t, current.id, { followUps: current.followUps + 1 });
              store.updateSession(t, sessionId, { updatedAt: at.toISOString() });
              return m;
            });
            events.message?.(this.views.message(row, all));
            return;
          }
        }
        store.updateSessionQuestion(db, current.id, { state: 'grading' });
        continue;
      }

      if (current.state === 'grading') {
        const c = ctx();
        const q = c.question;
        const exchange = c.exchange.filter((m) => m.kind !== 'opening').map((m) => ({ role: m.role, content: m.content }));
        const answer = answersOf(c.exchange);
        if (!answer.trim()) {
          store.updateSessionQuestion(db, current.id, { state: 'skipped', doneAt: this.now().toISOString() });
          continue;
        }
        const { grade, usage } = await this.deps.grader.grade(inputForQuestion(q, this.deps.rubrics, answer, exchange));
        const at = this.now();
        db.transaction((t) => {
          store.insertGrade(t, { sessionId, sessionQuestionId: current.id, grade, usage, at });
          store.updateSessionQuestion(t, current.id, { state: 'graded', doneAt: at.toISOString() });
        });
        events.grade?.({ sessionQuestionId: current.id, position: current.position, grade });
        continue;
      }

      if (current.state === 'graded' || current.state === 'skipped') {
        const next = session.status === 'active' ? all[current.position + 1] : undefined;
        const c = ctx();
        const nextInfo = next
          ? { position: next.position, total: all.length, category: this.question(next.questionId).category }
          : undefined;
        const spoken = await this.deps.interviewer.transition(c, nextInfo, (t) => events.token?.(t));
        const usage = addUsage(pendingUsage, spoken.usage);
        const tail = next ? this.question(next.questionId).prompt : loadPrompt('closing.md').trim();
        const joiner = '\n\n';
        events.token?.(joiner);
        events.token?.(tail);
        const content = `${spoken.text}${joiner}${tail}`;
        const at = this.now();
        if (next) {
          const row = db.transaction((t) => {
            const m = store.insertInterviewerMessage(t, sessionId, next.id, 'question', content, at, usage);
            store.updateSessionQuestion(t, next.id, { state: 'asked', askedAt: at.toISOString() });
            store.updateSession(t, sessionId, { currentPosition: next.position, updatedAt: at.toISOString() });
            return m;
          });
          events.message?.(this.views.message(row, all));
          return;
        }
        const debrief = this.debrief(sessionId);
        const row = db.transaction((t) => {
          const m = store.insertInterviewerMessage(t, sessionId, null, 'closing', content, at, usage);
          store.insertDebrief(t, sessionId, debrief, at);
          store.updateSession(t, sessionId, { status: 'finished', finishedAt: at.toISOString(), updatedAt: at.toISOString() });
          return m;
        });
        events.message?.(this.views.message(row, all));
        return;
      }

      // 'pending' as current only happens if a session was cut off before its first question.
      store.updateSessionQuestion(db, current.id, { state: 'asked', askedAt: this.now().toISOString() });
    }
    throw new AppError('internal', 'The interview loop did not settle');
  }

  /** Ends the current question: with answers it is graded as it stands, without it is skipped. */
  private closeQuestion(sessionId: string, current: store.SessionQuestionRow, why: 'skip' | 'finish') {
    const { db } = this.deps;
    const answered = store
      .messageRows(db, sessionId)
      .some((m) => m.sessionQuestionId === current.id && m.role === 'candidate' && m.kind === 'answer');
    const at = this.now();
    db.transaction((t) => {
      if (answered) {
        store.updateSessionQuestion(t, current.id, { state: 'grading' });
      } else {
        store.insertMessage(t, {
          sessionId,
          sessionQuestionId: current.id,
          role: 'candidate',
          kind: 'skip',
          content: why === 'skip' ? '(skipped)' : '(not answered: loop finished)',
          at,
        });
        store.updateSessionQuestion(t, current.id, { state: 'skipped', doneAt: at.toISOString() });
      }
    });
  }

  private turnContext(session: store.SessionRow, all: store.SessionQuestionRow[], current: store.SessionQuestionRow): TurnContext {
    const question = this.question(current.questionId);
    const msgs = store.messageRows(this.deps.db, session.id).filter((m) => m.sessionQuestionId === current.id);
    const exchange: ExchangeMessage[] = msgs.map((m) => ({ role: m.role, kind: m.kind, content: m.content }));
    return {
      question,
      rubric: this.deps.rubrics.get(question.rubric)!,
      exchange,
      followUpsUsed: current.followUps,
      maxFollowUps: session.maxFollowUps,
      summary: this.summary(session.id, all, current.position),
    };
  }

  /** A compact, bounded summary of the questions before this one. */
  private summary(sessionId: string, all: store.SessionQuestionRow[], position: number): string {
    const earlier = all.slice(0, position);
    if (!earlier.length) return `This is question 1 of ${all.length}.`;
    const scores = store
      .gradeRows(this.deps.db, sessionId)
      .filter((g) => earlier.some((q) => q.id === g.sessionQuestionId))
      .map((g) => g.score);
    const skipped = earlier.filter((q) => q.state === 'skipped').length;
    const mean = scores.length ? Math.round(scores.reduce((a, b) => a + b, 0) / scores.length) : null;
    const last = this.question(earlier.at(-1)!.questionId);
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

  private debrief(sessionId: string): Debrief {
    const all = store.sessionQuestionRows(this.deps.db, sessionId);
    const gradeBy = new Map(store.gradeRows(this.deps.db, sessionId).map((g) => [g.sessionQuestionId, g.grade]));
    return buildDebrief({
      questions: all.map((q) => ({ question: this.question(q.questionId), state: q.state, grade: gradeBy.get(q.id) })),
      rubrics: this.deps.rubrics,
    });
  }

  // -------------------------------------------------------------------------------------------
  // Reading

  private question(id: string): BankEntry {
    return this.deps.bank.require(id);
  }

  private requireSession(id: string): store.SessionRow {
    return store.requireSessionRow(this.deps.db, id);
  }

  /** Throws the 404 or 409 a turn on this session would meet, before any streaming starts. */
  assertOpen(sessionId: string) {
    this.openTurn(sessionId);
  }

  private openTurn(sessionId: string) {
    const session = this.requireSession(sessionId);
    if (session.status === 'finished') throw new AppError('conflict', 'This session is finished: start a new one to keep practising');
    const current = store.sessionQuestionRows(this.deps.db, sessionId)[session.currentPosition];
    if (!current) throw new AppError('internal', 'The session has no current question');
    return { session, current };
  }

  private lastMessageId(sessionId: string): number {
    return store.messageRows(this.deps.db, sessionId).at(-1)?.id ?? 0;
  }
}
