import type { Bank } from '../bank/bank.js';
import { CATEGORIES, type Category } from '../bank/schema.js';
import type { Db } from '../db/client.js';
import { DEFAULT_MIX, type Message, type Session, type SessionList, type SessionRequest, type SessionSummary } from './schemas.js';
import * as store from './store.js';

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
    private readonly db: Db,
    private readonly bank: Bank,
  ) {}

  message(m: store.MessageRow, questions: store.SessionQuestionRow[]): Message {
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

  summary(row: store.SessionRow, stats: store.SessionStats): SessionSummary {
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

  list(limit = 20, offset = 0): SessionList {
    const rows = store.listSessionRows(this.db, limit, offset);
    const stats = store.sessionStats(
      this.db,
      rows.map((r) => r.id),
    );
    return {
      items: rows.map((r) => this.summary(r, stats.get(r.id) ?? store.EMPTY_STATS)),
      total: store.countSessions(this.db),
      limit,
      offset,
    };
  }

  /** Everything needed to replay a session. */
  get(id: string): Session {
    const row = store.requireSessionRow(this.db, id);
    const all = store.sessionQuestionRows(this.db, id);
    const gradeBy = new Map(store.gradeRows(this.db, id).map((g) => [g.sessionQuestionId, g]));
    const stats = store.sessionStats(this.db, [id]).get(id) ?? store.EMPTY_STATS;
    const debrief = store.debriefRow(this.db, id);
    return {
      ...this.summary(row, stats),
      request: row.request,
      seed: row.seed,
      maxFollowUps: row.maxFollowUps,
      currentPosition: row.currentPosition,
      questions: all.map((sq) => {
        // What was asked, as it was asked: a later bank update does not change an old session.
        const q = sq.question ?? this.bank.require(sq.questionId);
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
      messages: store.messageRows(this.db, id).map((m) => this.message(m, all)),
      debrief: debrief?.debrief ?? null,
    };
  }
}
