import { and, asc, count, desc, eq, lte } from 'drizzle-orm';
import type { MessagesArea } from '../areas/messages.js';
import { messageValues } from '../shared.js';
import { p, prepared, type SqliteContext } from './context.js';
import { messages } from './schema.js';

// What every turn runs, prepared once, each named after the call that runs it (`prepared` in ./context.ts says why these and no others).
const questionMessages = prepared((db) =>
  db
    .select()
    .from(messages)
    .where(eq(messages.sessionQuestionId, p('id')))
    .orderBy(asc(messages.id))
    .prepare(),
);
const insertMessage = prepared((db) =>
  db
    .insert(messages)
    .values({
      sessionId: p('sessionId'),
      sessionQuestionId: p('sessionQuestionId'),
      role: p('role'),
      kind: p('kind'),
      content: p('content'),
      promptTokens: p('promptTokens'),
      completionTokens: p('completionTokens'),
      createdAt: p('createdAt'),
    })
    .returning()
    .prepare(),
);
/** A message's number in its session: the session's messages up to it. */
const messageNumber = prepared((db) =>
  db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.sessionId, p('sessionId')), lte(messages.id, p('id'))))
    .prepare(),
);

/** The conversation, in SQLite (`../postgres/messages.ts` is its twin). */
export const messagesArea = {
  async messages(sessionId) {
    await this.free();
    const rows = this.db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.id)).all();
    return rows.map((m, i) => ({ ...m, number: i + 1 }));
  },

  async questionMessages(sessionQuestionId) {
    await this.free();
    return questionMessages(this.db).all({ id: sessionQuestionId });
  },

  async lastInterviewerMessageNumber(sessionId) {
    await this.free();
    const row = this.db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1)
      .get();
    return row ? messageNumber(this.db).get({ sessionId, id: row.id })!.n : 0;
  },

  async insertMessage(m) {
    await this.free();
    const row = insertMessage(this.db).get(messageValues(m))!;
    return { ...row, number: messageNumber(this.db).get({ sessionId: row.sessionId, id: row.id })!.n };
  },
} satisfies MessagesArea & ThisType<SqliteContext>;
