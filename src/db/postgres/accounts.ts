import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { AccountsArea } from '../areas/accounts.js';
import { toHold, usageOf } from '../shared.js';
import type { PostgresContext } from './context.js';
import { apiTokens, logins, sessions, storyEdits, usage, users } from './schema.js';

/** Users, tokens, sign-ins and usage, in PostgreSQL (`../sqlite/accounts.ts` is its twin). */
export const accountsArea = {
  async insertUser(row) {
    const db = await this.conn();
    await db.insert(users).values(row);
  },

  async userByName(name) {
    const db = await this.conn();
    return (
      await db
        .select()
        .from(users)
        .where(sql`lower(${users.name}) = ${name.toLowerCase()}`)
    )[0];
  },

  async handOverSessions(fromUserId, toUserId) {
    const db = await this.conn();
    // The story bank's edits go with the sessions they were made on (their keys are those sessions').
    await db.update(storyEdits).set({ userId: toUserId }).where(eq(storyEdits.userId, fromUserId));
    return (await db.update(sessions).set({ userId: toUserId }).where(eq(sessions.userId, fromUserId)).returning({ id: sessions.id }))
      .length;
  },

  async listUsers() {
    const db = await this.conn();
    return db
      .select({
        ...getTableColumns(users),
        tokens: sql<number>`(select count(*) from api_tokens t where t.user_id = ${users.id} and t.revoked_at is null)`.mapWith(Number),
      })
      .from(users)
      .orderBy(asc(users.name));
  },

  async deleteUser(id) {
    const db = await this.conn();
    await db.delete(storyEdits).where(eq(storyEdits.userId, id));
    await db.delete(users).where(eq(users.id, id));
  },

  async insertToken(row) {
    const db = await this.conn();
    await db.insert(apiTokens).values(row);
  },

  async listTokens() {
    const db = await this.conn();
    const { hash: _hash, userId: _userId, ...columns } = getTableColumns(apiTokens);
    return db
      .select({ ...columns, user: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(asc(users.name), asc(apiTokens.createdAt));
  },

  async tokenByPrefix(prefix) {
    const db = await this.conn();
    const rows = await db
      .select({ ...getTableColumns(apiTokens), userName: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.prefix, prefix));
    return rows[0];
  },

  async setTokenUsed(id, at) {
    const db = await this.conn();
    await db.update(apiTokens).set({ lastUsedAt: at.toISOString() }).where(eq(apiTokens.id, id));
  },

  async revokeToken(id, at) {
    const db = await this.conn();
    await db.update(apiTokens).set({ revokedAt: at.toISOString() }).where(eq(apiTokens.id, id));
  },

  async insertLogin(row) {
    const db = await this.conn();
    await db.insert(logins).values(row);
  },

  async userOfLogin(hash) {
    const db = await this.conn();
    const rows = await db
      .select({
        id: users.id,
        name: users.name,
        expiresAt: logins.expiresAt,
        tokenId: apiTokens.id,
        tokenRevokedAt: apiTokens.revokedAt,
        tokenExpiresAt: apiTokens.expiresAt,
      })
      .from(logins)
      .innerJoin(users, eq(users.id, logins.userId))
      .leftJoin(apiTokens, eq(apiTokens.id, logins.tokenId))
      .where(eq(logins.hash, hash));
    return rows[0];
  },

  async deleteLogin(hash) {
    const db = await this.conn();
    await db.delete(logins).where(eq(logins.hash, hash));
  },

  async addUsage(userId, month, used) {
    const db = await this.conn();
    await db
      .insert(usage)
      .values({ userId, month, promptTokens: used.promptTokens, completionTokens: used.completionTokens })
      .onConflictDoUpdate({
        target: [usage.userId, usage.month],
        set: {
          promptTokens: sql`${usage.promptTokens} + ${used.promptTokens}`,
          completionTokens: sql`${usage.completionTokens} + ${used.completionTokens}`,
        },
      });
  },

  async reserveUsage(userId, month, tokens, budget) {
    return this.transaction(async (tx) => {
      const db = await (tx as PostgresContext).conn();
      await db.insert(usage).values({ userId, month }).onConflictDoNothing();
      // Locked until commit: a parallel reservation for the same month waits, then sees this one.
      const [row] = await db
        .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
        .from(usage)
        .where(and(eq(usage.userId, userId), eq(usage.month, month)))
        .for('update');
      const held = toHold(tokens, budget, usageOf(row));
      if (held <= 0) return 0;
      await db
        .update(usage)
        .set({ promptTokens: sql`${usage.promptTokens} + ${held}` })
        .where(and(eq(usage.userId, userId), eq(usage.month, month)));
      return held;
    });
  },

  async usage(userId, month) {
    const db = await this.conn();
    const rows = await db
      .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
      .from(usage)
      .where(and(eq(usage.userId, userId), eq(usage.month, month)));
    return usageOf(rows[0]);
  },
} satisfies AccountsArea & ThisType<PostgresContext>;
