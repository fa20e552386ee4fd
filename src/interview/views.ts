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
import { EMPTY_STATS, type MessageRow, type SessionQuestionRow, type SessionRow, type SessionStats, type SessionStore } from './store.js';

/**
 * The read models of the sessions feature: what the API, the export and the page see of the
 * stored state. Nothing here changes the database.
 */

export const CATEGORY_LABEL: Record<Category, string> = {
  company: 'company',
  behavioral: 'behavioural',
  technical: 'technical',
  system_design: 'system design',
};

/** "2 behavioural + 2 technical + 1 system design on caching": how the loop was asked for. */
export function describeLoop(req: Pick<SessionRequest, 'mix' | 'questionIds' | 'topics'>): string {
  if (req.questionIds?.length) return `${req.questionIds.length} chosen question${req.questionIds.length === 1 ? '' : 's'}`;
  const mix = req.mix ?? DEFAULT_MIX;
  const parts = CATEGORIES.filter((c) => (mix[c] ?? 0) > 0).map((c) => `${mix[c]} ${CATEGORY_LABEL[c]}`);
  return `${parts.join(' + ')}${req.topics?.length ? ` on ${req.topics.join(', ')}` : ''}`;
}

const usageOf = (r: { promptTokens: number | null; completionTokens: number | null }) =>
  r.promptTokens === null && r.completionTokens === null
    ? null
    : { promptTokens: r.promptTokens ?? 0, completionTokens: r.completionTokens ?? 0 };

export class SessionViews {
  constructor(
    private readonly store: SessionStore,
    private readonly bank: Bank,
  ) {}

  message(m: MessageRow, questions: SessionQuestionRow[]): Message {
    return {
      id: m.id,
      role: m.role,
      kind: m.kind,
      content: m.content,
      sessionQuestionId: m.sessionQuestionId,
      position: questions.find((q) => q.id === m.sessionQuestionId)?.position ?? null,
      createdAt: m.createdAt,
      usage: usageOf(m),
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
      loop: describeLoop(row.request),
      questionCount: stats.questions,
      gradedCount: stats.graded,
      skippedCount: stats.skipped,
      score: stats.score,
      tokens: { prompt: stats.promptTokens, completion: stats.completionTokens },
    };
  }

  list(userId: string, limit = 20, offset = 0): SessionList {
    const rows = this.store.listSessions(userId, limit, offset);
    const stats = this.store.statsOf(rows.map((r) => r.id));
    return {
      items: rows.map((r) => this.summary(r, stats.get(r.id) ?? EMPTY_STATS)),
      total: this.store.countSessions(userId),
      limit,
      offset,
    };
  }

  /** Where a session stands: what a turn returns. */
  state(id: string): SessionState {
    const row = this.store.requireSession(id);
    return { ...this.summary(row, this.store.stats(id)), currentPosition: row.currentPosition, maxFollowUps: row.maxFollowUps };
  }

  /** Everything needed to replay a session (another user's is a 404). */
  get(id: string, userId?: string): Session {
    const row = this.store.requireSession(id, userId);
    const all = this.store.questions(id);
    const gradeBy = new Map(this.store.grades(id).map((g) => [g.sessionQuestionId, g]));
    const stats = this.store.stats(id);
    const debrief = this.store.debrief(id);
    return {
      ...this.summary(row, stats),
      request: row.request,
      seed: row.seed,
      maxFollowUps: row.maxFollowUps,
      currentPosition: row.currentPosition,
      questions: all.map((sq) => {
        // What was asked, as it was asked: a later bank update does not change an old session.
        const q = this.store.snapshot(sq.id) ?? this.bank.require(sq.questionId);
        const done = sq.state === 'graded' || sq.state === 'skipped' || row.status === 'finished';
        const g = gradeBy.get(sq.id);
        return {
          id: sq.id,
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
        };
      }),
      messages: this.store.messages(id).map((m) => this.message(m, all)),
      debrief: debrief?.debrief ?? null,
    };
  }
}
