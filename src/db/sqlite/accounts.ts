import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { AccountsArea } from '../areas/accounts.js';
import { toHold, usageOf } from '../shared.js';
import type { Db, SqliteContext } from './context.js';
import { apiTokens, logins, sessions, storyEdits, usage, users } from './schema.js';

/**
 * Adds to a user's month. Functions of the connection, not calls on the store: inside a
 * reservation's transaction the store's own calls would wait for that transaction to end.
 */
const addTo = (db: Db, userId: string, month: string, used: { promptTokens: number; completionTokens: number }) =>
  db
    .insert(usage)
    .values({ userId, month, promptTokens: used.promptTokens, completionTokens: used.completionTokens })
    .onConflictDoUpdate({
      target: [usage.userId, usage.month],
      set: {
        promptTokens: sql`${usage.promptTokens} + ${used.promptTokens}`,
        completionTokens: sql`${usage.completionTokens} + ${used.completionTokens}`,
      },
    })
    .run();

const usedIn = (db: Db, userId: string, month: string) =>
  usageOf(
    db
      .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
      .from(usage)
      .where(and(eq(usage.userId, userId), eq(usage.month, month)))
      .get(),
  );

/** Users, tokens, sign-ins and usage, in SQLite (`../postgres/accounts.ts` is its twin). */
export const accountsArea = {
  async insertUser(row) {
    await this.free();
    this.db.insert(users).values(row).run();
  },

  async userByName(name) {
    await this.free();
    return this.db
      .select()
      .from(users)
      .where(sql`lower(${users.name}) = ${name.toLowerCase()}`)
      .get();
  },

  async handOverSessions(fromUserId, toUserId) {
    await this.free();
    // The story bank's edits go with the sessions they were made on (their keys are those sessions').
    this.db.update(storyEdits).set({ userId: toUserId }).where(eq(storyEdits.userId, fromUserId)).run();
    return this.db.update(sessions).set({ userId: toUserId }).where(eq(sessions.userId, fromUserId)).run().changes;
  },

  async listUsers() {
    await this.free();
    return this.db
      .select({
        ...getTableColumns(users),
        tokens: sql<number>`(select count(*) from api_tokens t where t.user_id = ${users.id} and t.revoked_at is null)`,
      })
      .from(users)
      .orderBy(asc(users.name))
      .all();
  },

  async deleteUser(id) {
    await this.free();
    this.db.delete(storyEdits).where(eq(storyEdits.userId, id)).run();
    this.db.delete(users).where(eq(users.id, id)).run();
    this.scrub();
  },

  async insertToken(row) {
    await this.free();
    this.db.insert(apiTokens).values(row).run();
  },

  async listTokens() {
    await this.free();
    const { hash: _hash, userId: _userId, ...columns } = getTableColumns(apiTokens);
    return this.db
      .select({ ...columns, user: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(asc(users.name), asc(apiTokens.createdAt))
      .all();
  },

  async tokenByPrefix(prefix) {
    await this.free();
    return this.db
      .select({ ...getTableColumns(apiTokens), userName: users.name })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.prefix, prefix))
      .get();
  },

  async setTokenUsed(id, at) {
    await this.free();
    this.db.update(apiTokens).set({ lastUsedAt: at.toISOString() }).where(eq(apiTokens.id, id)).run();
  },

  async revokeToken(id, at) {
    await this.free();
    this.db.update(apiTokens).set({ revokedAt: at.toISOString() }).where(eq(apiTokens.id, id)).run();
  },

  async insertLogin(row) {
    await this.free();
    this.db.insert(logins).values(row).run();
  },

  async userOfLogin(hash) {
    await this.free();
    return this.db
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
      .where(eq(logins.hash, hash))
      .get();
  },

  async deleteLogin(hash) {
    await this.free();
    this.db.delete(logins).where(eq(logins.hash, hash)).run();
  },

  async addUsage(userId, month, tokens) {
    await this.free();
    addTo(this.db, userId, month, tokens);
  },

  async reserveUsage(userId, month, tokens, budget) {
    // BEGIN IMMEDIATE: one writer at a time, across processes, between the read and the write.
    return this.transaction(async () => {
      const held = toHold(tokens, budget, usedIn(this.db, userId, month));
      if (held <= 0) return 0;
      addTo(this.db, userId, month, { promptTokens: held, completionTokens: 0 });
      return held;
    });
  },

  async usage(userId, month) {
    await this.free();
    return usedIn(this.db, userId, month);
  },
} satisfies AccountsArea & ThisType<SqliteContext>;
