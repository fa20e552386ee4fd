import { and, asc, count, desc, eq, lte } from 'drizzle-orm';
import type { MessagesArea } from '../areas/messages.js';
import { messageValues } from '../shared.js';
import type { Conn, PostgresContext } from './context.js';
import { messages } from './schema.js';

/** A message's number in its session: the session's messages up to it. */
async function messageNumber(db: Conn, sessionId: string, id: number): Promise<number> {
  const rows = await db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.sessionId, sessionId), lte(messages.id, id)));
  return rows[0]!.n;
}

/** The conversation, in PostgreSQL (`../sqlite/messages.ts` is its twin). */
export const messagesArea = {
  async messages(sessionId) {
    const db = await this.conn();
    const rows = await db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.id));
    return rows.map((m, i) => ({ ...m, number: i + 1 }));
  },

  async questionMessages(sessionQuestionId) {
    const db = await this.conn();
    return db.select().from(messages).where(eq(messages.sessionQuestionId, sessionQuestionId)).orderBy(asc(messages.id));
  },

  async lastInterviewerMessageNumber(sessionId) {
    const db = await this.conn();
    const rows = await db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1);
    return rows[0] ? messageNumber(db, sessionId, rows[0].id) : 0;
  },

  async insertMessage(m) {
    const db = await this.conn();
    const row = (await db.insert(messages).values(messageValues(m)).returning())[0]!;
    return { ...row, number: await messageNumber(db, row.sessionId, row.id) };
  },
} satisfies MessagesArea & ThisType<PostgresContext>;
