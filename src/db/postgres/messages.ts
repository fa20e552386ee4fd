import { and, asc, desc, eq } from 'drizzle-orm';
import type { MessagesArea } from '../areas/messages.js';
import { messageValues } from '../shared.js';
import type { PostgresContext } from './context.js';
import { messages } from './schema.js';

/** The conversation, in PostgreSQL (`../sqlite/messages.ts` is its twin). */
export const messagesArea = {
  async messages(sessionId) {
    const db = await this.conn();
    return db.select().from(messages).where(eq(messages.sessionId, sessionId)).orderBy(asc(messages.id));
  },

  async questionMessages(sessionQuestionId) {
    const db = await this.conn();
    return db.select().from(messages).where(eq(messages.sessionQuestionId, sessionQuestionId)).orderBy(asc(messages.id));
  },

  async lastInterviewerMessageId(sessionId) {
    const db = await this.conn();
    const rows = await db
      .select({ id: messages.id })
      .from(messages)
      .where(and(eq(messages.sessionId, sessionId), eq(messages.role, 'interviewer')))
      .orderBy(desc(messages.id))
      .limit(1);
    return rows[0]?.id ?? 0;
  },

  async insertMessage(m) {
    const db = await this.conn();
    const rows = await db.insert(messages).values(messageValues(m)).returning();
    return rows[0]!;
  },
} satisfies MessagesArea & ThisType<PostgresContext>;
