import type { Bank } from '../bank/bank.js';
import type { BankEntry } from '../bank/schema.js';
import type { MessageRow, SessionQuestionRow, SessionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import { DEFAULT_LEVEL } from '../grading/levels.js';
import type { Rubric } from '../grading/rubrics.js';
import { rubricFor } from '../grading/service.js';
import { buildDebrief, type Debrief } from './debrief.js';
import { answersBy } from './feedback.js';
import type { ExchangeMessage, TurnContext } from './interviewer.js';
import { interviewAt } from './plan.js';
import { CATEGORY_LABEL } from './views.js';
import type { CodingRound } from './coding-round.js';
import type { CodingContext } from './coding-probes.js';

/** What the loop reads of a session to take a step: a question as asked, a turn's context, the debrief. */
export class LoopReader {
  constructor(
    private readonly store: Store,
    private readonly bank: Bank,
    private readonly rubrics: Map<string, Rubric>,
    /** The coding round, when coding problems can be asked. */
    private readonly coding?: CodingRound,
  ) {}

  /** The question as it was asked (its snapshot), or from the bank for sessions stored before snapshots. */
  async question(sq: SessionQuestionRow): Promise<BankEntry> {
    return (await this.store.snapshot(sq.id)) ?? this.bank.require(sq.questionId);
  }

  /** `messages`: the current question's, when the turn already has them. */
  async turnContext(
    session: SessionRow,
    all: SessionQuestionRow[],
    current: SessionQuestionRow,
    messages?: MessageRow[],
  ): Promise<TurnContext> {
    const question = await this.question(current);
    const exchange: ExchangeMessage[] = (messages ?? (await this.store.questionMessages(current.id))).map((m) => ({
      role: m.role,
      kind: m.kind,
      content: m.content,
    }));
    return {
      question,
      rubric: rubricFor(question, this.rubrics.get(question.rubric)!),
      exchange,
      followUpsUsed: current.followUps,
      maxFollowUps: session.maxFollowUps,
      level: session.request.level ?? DEFAULT_LEVEL,
      interview: session.plan?.interviews[interviewAt(session.plan, current.position) ?? -1],
      // Only a model interviewer reads it.
      summary: () => this.summary(session.id, all, current.position),
      coding: await this.codingOf(session.id, current),
    };
  }

  /** A coding question's problem, runs and what they showed (undefined for any other question). */
  async codingOf(sessionId: string, current: SessionQuestionRow): Promise<CodingContext | undefined> {
    const problem = this.coding?.problemOf(current.questionId);
    if (!this.coding || !problem) return undefined;
    const runs = await this.coding.runsOf(sessionId, current);
    return { problem, runs, evidence: this.coding.evidence(runs) };
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

  async debrief(session: SessionRow, all: SessionQuestionRow[]): Promise<Debrief> {
    const gradeBy = new Map((await this.store.grades(session.id)).map((g) => [g.sessionQuestionId, g.grade]));
    const answers = answersBy(await this.store.messages(session.id));
    const questions = await Promise.all(
      all.map(async (q) => ({
        question: await this.question(q),
        state: q.state,
        grade: gradeBy.get(q.id),
        position: q.position,
        answer: answers.get(q.id) ?? '',
      })),
    );
    const deliveries = (await this.store.recordings(session.id)).filter((r) => r.messageId !== null).map((r) => r.delivery);
    return buildDebrief({ questions, rubrics: this.rubrics, deliveries, plan: session.plan });
  }
}
