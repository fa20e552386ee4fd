import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { Store } from '../db/store.js';
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
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async addUser(name: string): Promise<User> {
    const clean = name.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,99}$/.test(clean)) {
      throw new AppError('bad_request', `A user name is 1–100 letters, digits, ".", "_", "@" or "-" (got "${name}")`);
    }
    if (await this.store.userByName(clean)) throw new AppError('conflict', `There is already a user "${clean}"`);
    const user = { id: randomUUID(), name: clean };
    await this.store.insertUser({ ...user, createdAt: this.now().toISOString() });
    return user;
  }

  /** The user a trusted proxy names, created the first time it is seen. */
  async userFromProxy(name: string): Promise<User> {
    const known = await this.userByName(name.trim());
    if (known) return known;
    try {
      return await this.addUser(name);
    } catch (e) {
      // Another request (or replica) added the same name a moment ago.
      const added = await this.userByName(name.trim());
      if (added) return added;
      throw e;
    }
  }

  async userByName(name: string): Promise<User | undefined> {
    const row = await this.store.userByName(name);
    return row && { id: row.id, name: row.name };
  }

  async requireUser(name: string): Promise<User> {
    const user = await this.userByName(name);
    if (!user) throw new AppError('not_found', `No user "${name}"`);
    return user;
  }

  listUsers(): Promise<Array<User & { createdAt: string; tokens: number }>> {
    return this.store.listUsers();
  }

  /** Removes a user with their tokens and sign-ins (their sessions stay, unreachable, until deleted). */
  /**
   * Removes a user and their tokens and sign-ins. Their sessions are deleted with them
   * (`sessions: 'delete'`) or handed over to another user; with sessions and neither said, it is
   * refused, so nothing is lost by accident and nothing is left behind that no one can delete.
   */
  async removeUser(name: string, sessions?: 'delete' | { handOverTo: string }): Promise<{ sessions: number }> {
    const user = await this.requireUser(name);
    const owned = await this.sessionIdsOf(user.id);
    let moved = 0;
    if (owned.length && sessions === undefined) {
      throw new AppError(
        'conflict',
        `${user.name} has ${owned.length} session${owned.length === 1 ? '' : 's'}: say --delete-sessions, or --hand-over-to <name> to give them to someone else`,
      );
    }
    if (sessions === 'delete') for (const id of owned) await this.store.deleteSession(id);
    else if (sessions) {
      const to = await this.requireUser(sessions.handOverTo);
      if (to.id === user.id) throw new AppError('bad_request', 'Hand the sessions over to another user');
      moved = await this.store.handOverSessions(user.id, to.id);
    }
    await this.store.deleteUser(user.id);
    return { sessions: sessions === 'delete' ? owned.length : moved };
  }

  /** Every session of a user, newest first. */
  async sessionIdsOf(userId: string): Promise<string[]> {
    const ids: string[] = [];
    for (let offset = 0; ; offset += 500) {
      const page = await this.store.listSessions(userId, 500, offset);
      ids.push(...page.map((s) => s.id));
      if (page.length < 500) return ids;
    }
  }

  /** A new token for a user: the returned `token` is the only time it is ever shown. */
  async createToken(
    userName: string,
    options: { name?: string; expiresInDays?: number } = {},
  ): Promise<{ token: string; info: TokenInfo }> {
    const user = await this.requireUser(userName);
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
    await this.store.insertToken(row);
    const { hash: _hash, userId: _userId, ...shown } = row;
    return { token, info: { ...shown, user: user.name, lastUsedAt: null, revokedAt: null } };
  }

  async listTokens(userName?: string): Promise<TokenInfo[]> {
    const rows = await this.store.listTokens();
    return userName ? rows.filter((r) => r.user === userName) : rows;
  }

  /** Revokes a token by its id or its prefix; it stops working at once. */
  async revokeToken(idOrPrefix: string): Promise<TokenInfo> {
    const row = (await this.listTokens()).find((t) => t.id === idOrPrefix || t.prefix === idOrPrefix);
    if (!row) throw new AppError('not_found', `No token with id or prefix "${idOrPrefix}"`);
    const at = this.now();
    await this.store.revokeToken(row.id, at);
    return { ...row, revokedAt: at.toISOString() };
  }

  /** The user a bearer token stands for, or undefined when it is unknown, revoked or expired. */
  async authenticate(token: string): Promise<User | undefined> {
    return (await this.tokenOf(token))?.user;
  }

  /** The user of a live token, and the token: what a sign-in made with it is bound to. */
  private async tokenOf(token: string): Promise<{ user: User; id: string; expiresAt: string | null } | undefined> {
    const m = TOKEN.exec(token.trim());
    if (!m) return undefined;
    const row = await this.store.tokenByPrefix(m[1]!);
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(sha256(token.trim())))) return undefined;
    const at = this.now();
    if (row.revokedAt || (row.expiresAt && row.expiresAt <= at.toISOString())) return undefined;
    await this.store.setTokenUsed(row.id, at);
    return { user: { id: row.userId, name: row.userName }, id: row.id, expiresAt: row.expiresAt };
  }

  /**
   * Signs a browser in with a token: the returned id goes in an HttpOnly cookie; only its hash is
   * stored, with the token it was made with. It ends when the token is revoked or expires, and
   * never lasts longer than the token: undefined when the token is not live.
   */
  async login(token: string, days: number): Promise<{ id: string; expiresAt: Date } | undefined> {
    const live = await this.tokenOf(token);
    if (!live) return undefined;
    const id = randomBytes(32).toString('base64url');
    const at = this.now();
    const wanted = at.getTime() + days * 86_400_000;
    const expiresAt = new Date(live.expiresAt ? Math.min(wanted, Date.parse(live.expiresAt)) : wanted);
    await this.store.insertLogin({
      hash: sha256(id),
      userId: live.user.id,
      tokenId: live.id,
      createdAt: at.toISOString(),
      expiresAt: expiresAt.toISOString(),
    });
    return { id, expiresAt };
  }

  async userOfLogin(id: string): Promise<User | undefined> {
    const row = await this.store.userOfLogin(sha256(id));
    const now = this.now().toISOString();
    if (!row || row.expiresAt <= now) return undefined;
    // Bound to its token: a revoked, expired or deleted token (or none, from before) ends the sign-in.
    if (!row.tokenId || row.tokenRevokedAt || (row.tokenExpiresAt && row.tokenExpiresAt <= now)) return undefined;
    return { id: row.id, name: row.name };
  }

  endLogin(id: string): Promise<void> {
    return this.store.deleteLogin(sha256(id));
  }

  /** Records model tokens against the user's current month. */
  async addUsage(userId: string, used: Usage | undefined): Promise<void> {
    if (!used || (!used.promptTokens && !used.completionTokens)) return;
    await this.store.addUsage(userId, month(this.now()), used);
  }

  /**
   * Holds up to `tokens` of this month's budget for a call about to be made: how many were held,
   * 0 when the budget is spent. Release them once the call's real usage is recorded.
   */
  reserve(userId: string, tokens: number, budget: number): Promise<number> {
    return this.store.reserveUsage(userId, month(this.now()), tokens, budget);
  }

  release(userId: string, tokens: number): Promise<void> {
    return this.store.addUsage(userId, month(this.now()), { promptTokens: -tokens, completionTokens: 0 });
  }

  async usageThisMonth(userId: string): Promise<{ month: string; promptTokens: number; completionTokens: number }> {
    const m = month(this.now());
    return { month: m, ...(await this.store.usage(userId, m)) };
  }
}
