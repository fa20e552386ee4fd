import { sql } from 'drizzle-orm';
import type { TurnsArea } from '../areas/turns.js';
import { p, prepared, type SqliteContext } from './context.js';
import { sessions } from './schema.js';
import { claimRequestValues } from '../shared.js';
import { claimOf } from './sessions.js';

/** The claim of a turn (as `claimTurn`) on a session that is `userId`'s when given and not finished; the claimed row, or nothing. */
const claim = prepared((db) =>
  claimOf(db, sql`(${p('userId')} is null or ${sessions.userId} = ${p('userId')}) and ${sessions.status} <> 'finished'`)
    .returning()
    .prepare(),
);

/**
 * A turn's reads and writes, in SQLite (`../postgres/turns.ts` is its twin): here a call is the
 * prepared statements of the calls it stands for, in one transaction (statements cost no round
 * trip in SQLite; the write lock is held from the first).
 */
export const turnsArea = {
  async claimForTurn(sessionId, owner, now, until, userId, key, request) {
    return this.transaction(async (tx) => {
      const session = claim(this.db).get({
        id: sessionId,
        userId: userId ?? null,
        owner,
        until: until.toISOString(),
        now: now.toISOString(),
        ...claimRequestValues(request),
      });
      if (!session) return undefined;
      const start = await tx.turnStart(session);
      const seen = key === undefined ? undefined : await tx.idempotency(sessionId, key);
      return seen ? { ...start, seen } : start;
    });
  },

  async turnStart(session) {
    const questions = await this.questions(session.id);
    const current = questions[session.currentPosition];
    return { session, questions, messages: current ? await this.questionMessages(current.id) : [] };
  },

  async storeAnswer(m, grading, key) {
    return this.transaction(async (tx) => {
      const row = await tx.insertMessage(m);
      await tx.markAnswered(m.sessionQuestionId, m.at);
      if (grading) await tx.setQuestionState(m.sessionQuestionId, 'grading');
      await tx.touch(m.sessionId, m.at);
      if (key) await tx.saveIdempotency(key);
      return row;
    });
  },

  async storeGrade(g) {
    await this.transaction(async (tx) => {
      await tx.insertGrade(g);
      await tx.setQuestionState(g.sessionQuestionId, 'graded', g.at);
    });
  },

  async askNext(m, position, grade) {
    return this.transaction(async (tx) => {
      if (grade) await tx.storeGrade(grade);
      const row = await tx.insertMessage(m);
      await tx.askQuestion(m.sessionQuestionId, m.at);
      await tx.moveTo(m.sessionId, position, m.at);
      return row;
    });
  },

  async endTurn(sessionId, owner, key) {
    if (!key) return this.releaseClaim(sessionId, owner);
    await this.transaction(async (tx) => {
      if (key) await tx.saveIdempotency(key);
      await tx.releaseClaim(sessionId, owner);
    });
  },
} satisfies TurnsArea & ThisType<SqliteContext>;
