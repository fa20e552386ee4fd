import type { Problem } from '../coding/pack.js';
import type { CodeRun } from '../coding/results.js';
import { codingView } from './coding-view.js';
import type { Bank } from '../bank/bank.js';
import { CATEGORIES, type Category } from '../bank/schema.js';
import {
  DEFAULT_MIX,
  type Message,
  type Session,
  type SessionList,
  type SessionRequest,
  type SessionState,
  type SessionSummary,
} from './schemas.js';
import { AppError } from '../errors.js';
import { LEVEL_NAMES } from '../grading/levels.js';
import { answersBy, feedbackSoFar, type LoopQuestion, retoldStories } from './feedback.js';
import { interviewAt, interviewerAt, type LoopPlan } from './plan.js';
import { recordingView } from '../voice/views.js';
import type { SessionStats } from '../db/areas/read-models.js';
import { totalsOf } from '../db/shared.js';
import type { SessionMessage } from '../db/areas/messages.js';
import type { RecordingInfo, SessionQuestionRow, SessionRow } from '../db/rows.js';
import type { Store } from '../db/store.js';
import type { Rubric } from '../grading/rubrics.js';

/**
 * The read models of the sessions feature: what the API, the export and the page see of the
 * stored state. Nothing here changes the database.
 */

export const CATEGORY_LABEL: Record<Category, string> = {
  company: 'company',
  behavioral: 'behavioural',
  technical: 'technical',
  coding: 'coding',
  system_design: 'system design',
};

/** "2 behavioural + 2 technical + 1 system design on caching": how the loop was asked for. */
export function describeLoop(
  req: Pick<SessionRequest, 'mix' | 'questionIds' | 'topics' | 'level' | 'tailoring' | 'jobDescription' | 'resume'>,
  plan: LoopPlan | null = null,
): string {
  const to = [req.jobDescription?.trim() && 'a job', req.resume?.trim() && 'a résumé'].filter(Boolean);
  return `${loopWords(req, plan)}${req.tailoring && to.length ? `, tailored to ${to.join(' and ')}` : ''}`;
}

function loopWords(req: Pick<SessionRequest, 'mix' | 'questionIds' | 'topics' | 'level'>, plan: LoopPlan | null): string {
  if (plan) {
    const barRaiser = plan.interviews.some((i) => i.interviewer.barRaiser);
    const others = plan.interviews.length - (barRaiser ? 1 : 0);
    return `${LEVEL_NAMES[plan.level]} loop: ${others} interview${others === 1 ? '' : 's'}${barRaiser ? ' and the Bar Raiser' : ''}`;
  }
  if (req.questionIds?.length) return `${req.questionIds.length} chosen question${req.questionIds.length === 1 ? '' : 's'}`;
  const mix = req.mix ?? DEFAULT_MIX;
  const parts = CATEGORIES.filter((c) => (mix[c] ?? 0) > 0).map((c) => `${mix[c]} ${CATEGORY_LABEL[c]}`);
  return `${parts.join(' + ')}${req.topics?.length ? ` on ${req.topics.join(', ')}` : ''}`;
}

const usageOf = (r: { promptTokens: number | null; completionTokens: number | null }) =>
  r.promptTokens === null && r.completionTokens === null
    ? null
    : { promptTokens: r.promptTokens ?? 0, completionTokens: r.completionTokens ?? 0 };

/**
 * The session, if it exists and (when a user is given) belongs to that user: another user's
 * session does not exist for them. With `lock` (in a transaction), its row stays locked to it.
 */
export async function requireSession(store: Store, id: string, userId?: string, lock = false): Promise<SessionRow> {
  const row = await store.session(id, { lock });
  if (!row || (userId !== undefined && row.userId !== userId)) throw new AppError('not_found', `No session with id "${id}"`);
  return row;
}

/**
 * A question's id as the API shows it: its number in its session (position + 1). Row ids are
 * global and sequential (how many questions everyone was asked), so they stay inside the server.
 */
export const questionNumber = (q: Pick<SessionQuestionRow, 'position'>) => q.position + 1;

export class SessionViews {
  constructor(
    private readonly store: Store,
    private readonly bank: Bank,
    private readonly rubrics: Map<string, Rubric>,
    /** The coding round, when coding problems can be asked: a coding question shows its problem and runs. */
    private readonly coding?: { problemOf(questionId: string): Problem | undefined },
  ) {}

  /** A message as the API shows it: numbered in its session, never by its (global) row id. */
  message(m: SessionMessage, questions: SessionQuestionRow[], spoken?: Map<number, RecordingInfo>): Message {
    const question = questions.find((q) => q.id === m.sessionQuestionId);
    const position = question?.position ?? null;
    const recording = spoken?.get(m.id);
    return {
      id: m.number,
      role: m.role,
      kind: m.kind,
      content: m.content,
      sessionQuestionId: question ? questionNumber(question) : null,
      position,
      createdAt: m.createdAt,
      usage: usageOf(m),
      ...(recording && { spoken: recordingView(recording, position) }),
    };
  }

  summary(row: SessionRow, stats: SessionStats): SessionSummary {
    return {
      id: row.id,
      status: row.status === 'finishing' ? 'active' : row.status,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
      finishedAt: row.finishedAt,
      provider: row.provider,
      model: row.model,
      loop: describeLoop(row.request, row.plan),
      level: row.request.level ?? null,
      questionCount: stats.questions,
      gradedCount: stats.graded,
      skippedCount: stats.skipped,
      score: stats.score,
      tokens: { prompt: stats.promptTokens, completion: stats.completionTokens },
    };
  }

  async list(userId: string, limit = 20, offset = 0): Promise<SessionList> {
    const rows = await this.store.listSessions(userId, limit, offset);
    return {
      items: rows.map((r) => this.summary(r, totalsOf(r))),
      total: await this.store.countSessions(userId),
      limit,
      offset,
    };
  }

  /** Where a session stands: what a turn returns. */
  async state(id: string): Promise<SessionState> {
    return this.stateOf(await this.require(id));
  }

  /** Where the session of this row stands (as read, or as a turn kept it in step with its writes). */
  stateOf(row: SessionRow): SessionState {
    return { ...this.summary(row, totalsOf(row)), currentPosition: row.currentPosition, maxFollowUps: row.maxFollowUps };
  }

  require(id: string, userId?: string): Promise<SessionRow> {
    return requireSession(this.store, id, userId);
  }

  /** Everything needed to replay a session (another user's is a 404). */
  async get(id: string, userId?: string): Promise<Session> {
    const row = await this.require(id, userId);
    const all = await this.store.questions(id);
    const gradeBy = new Map((await this.store.grades(id)).map((g) => [g.sessionQuestionId, g]));
    const stats = totalsOf(row);
    const debrief = await this.store.debrief(id);
    const asked = (await this.store.snapshotsOf(all.map((sq) => sq.id))).map((snap, i) => snap ?? this.bank.require(all[i]!.questionId));
    const messages = await this.store.messages(id);
    const answers = answersBy(messages);
    const loop: LoopQuestion[] = all.map((sq, i) => ({
      position: sq.position,
      question: asked[i]!,
      state: sq.state,
      grade: gradeBy.get(sq.id)?.grade,
      answer: answers.get(sq.id) ?? '',
    }));
    const retold = retoldStories(loop, (p) => interviewerAt(row.plan, p));
    const spoken = new Map((await this.store.recordings(id)).filter((r) => r.messageId !== null).map((r) => [r.messageId!, r]));
    const runs = this.coding ? await this.store.codeRuns(id) : [];
    return {
      ...this.summary(row, stats),
      request: row.request,
      seed: row.seed,
      maxFollowUps: row.maxFollowUps,
      currentPosition: row.currentPosition,
      plan: row.plan,
      tailoring: row.request.tailoring ?? null,
      // Once the loop is over, the feedback as the meeting read it (worded by the model, if there is one).
      feedback: debrief?.debrief.meeting?.feedback ?? feedbackSoFar(row.plan, loop, this.rubrics, retold),
      questions: all.map((sq, i) => {
        // What was asked, as it was asked: a later bank update does not change an old session.
        const q = asked[i]!;
        const done = sq.state === 'graded' || sq.state === 'skipped' || row.status === 'finished';
        const g = gradeBy.get(sq.id);
        return {
          id: questionNumber(sq),
          position: sq.position,
          questionId: sq.questionId,
          prompt: sq.state === 'pending' ? null : q.prompt,
          category: q.category,
          rubricId: q.rubric,
          topics: q.topics,
          leadershipPrinciples: q.leadershipPrinciples,
          state: sq.state,
          followUps: sq.followUps,
          timeBoxSeconds: sq.timeBoxSeconds,
          askedAt: sq.askedAt,
          answeredAt: sq.answeredAt,
          doneAt: sq.doneAt,
          // Revealed only once the question is over, so the interview stays honest.
          referenceAnswer: done ? q.referenceAnswer : null,
          signals: done ? q.signals : [],
          grade: g?.grade ?? null,
          gradeUsage: g ? usageOf(g) : null,
          interview: interviewAt(row.plan, sq.position) ?? null,
          retold: retold.filter((r) => r.earlier.position === sq.position || r.later.position === sq.position),
          ...codingOf(this.coding?.problemOf(sq.questionId), sq, runs, done),
        };
      }),
      messages: messages.map((m) => this.message(m, all, spoken)),
      debrief: debrief?.debrief ?? null,
    };
  }
}

/** A coding question's problem and runs, once it is asked (nothing for any other question). */
function codingOf(problem: Problem | undefined, sq: SessionQuestionRow, runs: CodeRun[], done: boolean) {
  if (!problem || sq.state === 'pending') return {};
  return {
    coding: codingView(
      problem,
      runs.filter((r) => r.sessionQuestionId === sq.id),
      done,
    ),
  };
}
