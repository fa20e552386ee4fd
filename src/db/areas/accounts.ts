import type { Usage } from '../../llm/usage.js';
import type { TokenRow, UserRow } from '../rows.js';

/** Users, their API tokens and browser sign-ins, and the model tokens they use each month. */
export interface AccountsArea {
  insertUser(row: UserRow): Promise<void>;
  /** The user of a name, whatever its case ("Alice" is "alice"). */
  userByName(name: string): Promise<UserRow | undefined>;
  /** Gives every session of one user to another (`user remove --hand-over-to`); how many moved. */
  handOverSessions(fromUserId: string, toUserId: string): Promise<number>;
  /** Users by name, each with how many live tokens they hold. */
  listUsers(): Promise<Array<UserRow & { tokens: number }>>;
  deleteUser(id: string): Promise<void>;

  insertToken(row: Omit<TokenRow, 'lastUsedAt' | 'revokedAt'>): Promise<void>;
  listTokens(): Promise<TokenListing[]>;
  tokenByPrefix(prefix: string): Promise<(TokenRow & { userName: string }) | undefined>;
  setTokenUsed(id: string, at: Date): Promise<void>;
  revokeToken(id: string, at: Date): Promise<void>;

  insertLogin(row: { hash: string; userId: string; tokenId: string; createdAt: string; expiresAt: string }): Promise<void>;
  /** The user of a sign-in, with its expiry and the state of the token that made it (null fields: no such token). */
  userOfLogin(
    hash: string,
  ): Promise<
    | { id: string; name: string; expiresAt: string; tokenId: string | null; tokenRevokedAt: string | null; tokenExpiresAt: string | null }
    | undefined
  >;
  deleteLogin(hash: string): Promise<void>;

  /** Adds model tokens to a user's month. */
  addUsage(userId: string, month: string, used: Usage): Promise<void>;
  /**
   * Holds up to `tokens` of the month's `budget` by adding them to its usage, as many as remain,
   * in one atomic statement (parallel requests cannot both take what is left): a reservation
   * before a costly call. Returns how many were held; 0 when the budget is spent.
   */
  reserveUsage(userId: string, month: string, tokens: number, budget: number): Promise<number>;
  usage(userId: string, month: string): Promise<{ promptTokens: number; completionTokens: number }>;
}

/** A token with its user's name, as listed. */
export type TokenListing = Omit<TokenRow, 'hash' | 'userId'> & { user: string };
