import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { and, asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiTokens, logins, usage, users } from '../db/schema.js';
import { AppError } from '../errors.js';
import type { Usage } from '../llm/usage.js';

/** The one user of AUTH=none: every session on a personal install belongs to it. */
export const LOCAL_USER = { id: 'local', name: 'local' } as const;

export interface User {
  id: string;
  name: string;
}

export interface TokenInfo {
  id: string;
  user: string;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const month = (at: Date) => at.toISOString().slice(0, 7);

/** A token looks like `mlk_<prefix>_<secret>`: the prefix finds it, only the hash of the whole is stored. */
const TOKEN = /^mlk_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/**
 * Users, API tokens, browser sign-ins and per-user usage. Tokens are shown once, when created,
 * and stored only as a SHA-256 hash with a short prefix to find them; sign-ins likewise.
 */
export class Accounts {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  addUser(name: string): User {
    const clean = name.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(clean)) {
      throw new AppError('bad_request', `A user name is 1–100 letters, digits, ".", "_", "@" or "-" (got "${name}")`);
    }
    if (this.userByName(clean)) throw new AppError('conflict', `There is already a user "${clean}"`);
    const user = { id: randomUUID(), name: clean };
    this.db
      .insert(users)
      .values({ ...user, createdAt: this.now().toISOString() })
      .run();
    return user;
  }

  /** The user a trusted proxy names, created the first time it is seen. */
  userFromProxy(name: string): User {
    return this.userByName(name.trim()) ?? this.addUser(name);
  }

  userByName(name: string): User | undefined {
    return this.db.select({ id: users.id, name: users.name }).from(users).where(eq(users.name, name)).get();
  }

  requireUser(name: string): User {
    const user = this.userByName(name);
    if (!user) throw new AppError('not_found', `No user "${name}"`);
    return user;
  }

  listUsers(): Array<User & { createdAt: string; tokens: number }> {
    return this.db
      .select({
        id: users.id,
        name: users.name,
        createdAt: users.createdAt,
        tokens: sql<number>`(select count(*) from api_tokens t where t.user_id = "users"."id" and t.revoked_at is null)`,
      })
      .from(users)
      .orderBy(asc(users.name))
      .all();
  }

  /** Removes a user with their tokens and sign-ins (their sessions stay, unreachable, until deleted). */
  removeUser(name: string): void {
    const user = this.requireUser(name);
    this.db.delete(users).where(eq(users.id, user.id)).run();
  }

  /** A new token for a user: the returned `token` is the only time it is ever shown. */
  createToken(userName: string, options: { name?: string; expiresInDays?: number } = {}): { token: string; info: TokenInfo } {
    const user = this.requireUser(userName);
    const prefix = randomBytes(6).toString('hex');
    const token = `mlk_${prefix}_${randomBytes(32).toString('base64url')}`;
    const at = this.now();
    const row = {
      id: randomUUID(),
      userId: user.id,
      name: options.name?.trim() || 'token',
      prefix,
      hash: sha256(token),
      createdAt: at.toISOString(),
      expiresAt: options.expiresInDays ? new Date(at.getTime() + options.expiresInDays * 86_400_000).toISOString() : null,
    };
    this.db.insert(apiTokens).values(row).run();
    return { token, info: { ...row, user: user.name, lastUsedAt: null, revokedAt: null } };
  }

  listTokens(userName?: string): TokenInfo[] {
    const rows = this.db
      .select({
        id: apiTokens.id,
        user: users.name,
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        createdAt: apiTokens.createdAt,
        expiresAt: apiTokens.expiresAt,
        lastUsedAt: apiTokens.lastUsedAt,
        revokedAt: apiTokens.revokedAt,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .orderBy(asc(users.name), asc(apiTokens.createdAt))
      .all();
    return userName ? rows.filter((r) => r.user === userName) : rows;
  }

  /** Revokes a token by its id or its prefix; it stops working at once. */
  revokeToken(idOrPrefix: string): TokenInfo {
    const row = this.listTokens().find((t) => t.id === idOrPrefix || t.prefix === idOrPrefix);
    if (!row) throw new AppError('not_found', `No token with id or prefix "${idOrPrefix}"`);
    this.db.update(apiTokens).set({ revokedAt: this.now().toISOString() }).where(eq(apiTokens.id, row.id)).run();
    return { ...row, revokedAt: this.now().toISOString() };
  }

  /** The user a bearer token stands for, or undefined when it is unknown, revoked or expired. */
  authenticate(token: string): User | undefined {
    const m = TOKEN.exec(token.trim());
    if (!m) return undefined;
    const row = this.db
      .select({
        id: apiTokens.id,
        hash: apiTokens.hash,
        expiresAt: apiTokens.expiresAt,
        revokedAt: apiTokens.revokedAt,
        userId: users.id,
        name: users.name,
      })
      .from(apiTokens)
      .innerJoin(users, eq(users.id, apiTokens.userId))
      .where(eq(apiTokens.prefix, m[1]!))
      .get();
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(sha256(token.trim())))) return undefined;
    const at = this.now().toISOString();
    if (row.revokedAt || (row.expiresAt && row.expiresAt <= at)) return undefined;
    this.db.update(apiTokens).set({ lastUsedAt: at }).where(eq(apiTokens.id, row.id)).run();
    return { id: row.userId, name: row.name };
  }

  /** A browser sign-in: the returned id goes in an HttpOnly cookie; only its hash is stored. */
  createLogin(user: User, days: number): { id: string; expiresAt: Date } {
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    const expiresAt = new Date(at.getTime() + days * 86_400_000);
    this.db
      .insert(logins)
      .values({ hash: sha256(id), userId: user.id, createdAt: at.toISOString(), expiresAt: expiresAt.toISOString() })
      .run();
    return { id, expiresAt };
  }

  userOfLogin(id: string): User | undefined {
    const row = this.db
      .select({ id: users.id, name: users.name, expiresAt: logins.expiresAt })
      .from(logins)
      .innerJoin(users, eq(users.id, logins.userId))
      .where(eq(logins.hash, sha256(id)))
      .get();
    if (!row || row.expiresAt <= this.now().toISOString()) return undefined;
    return { id: row.id, name: row.name };
  }

  endLogin(id: string): void {
    this.db
      .delete(logins)
      .where(eq(logins.hash, sha256(id)))
      .run();
  }

  /** Records model tokens against the user's current month. */
  addUsage(userId: string, used: Usage | undefined): void {
    if (!used || (!used.promptTokens && !used.completionTokens)) return;
    this.db
      .insert(usage)
      .values({ userId, month: month(this.now()), promptTokens: used.promptTokens, completionTokens: used.completionTokens })
      .onConflictDoUpdate({
        target: [usage.userId, usage.month],
        set: {
          promptTokens: sql`${usage.promptTokens} + ${used.promptTokens}`,
          completionTokens: sql`${usage.completionTokens} + ${used.completionTokens}`,
        },
      })
      .run();
  }

  usageThisMonth(userId: string): { month: string; promptTokens: number; completionTokens: number } {
    const m = month(this.now());
    const row = this.db
      .select({ promptTokens: usage.promptTokens, completionTokens: usage.completionTokens })
      .from(usage)
      .where(and(eq(usage.userId, userId), eq(usage.month, m)))
      .get();
    return { month: m, promptTokens: row?.promptTokens ?? 0, completionTokens: row?.completionTokens ?? 0 };
  }
}
