// Issue 13: the console's sign-in links and sessions behind the store boundary (one table, schema v11).
// Tokens are stored as their sha256 only, like API keys. (Its two reads, accounts by name and the routes
// through one peering, are StoreTx methods: they return the store's own records.)

export type ConsoleTokenKind = "sign-in-link" | "session";

export type ConsoleTokenRecord = {
  tokenHash: string;
  kind: ConsoleTokenKind;
  accountId: string;
  /** the API key a session was opened with (it ends with the key); null for a sign-in link's session */
  keyHash: string | null;
  createdAt: number;
  expiresAt: number;
};

export interface ConsoleStoreTx {
  insertConsoleToken(t: ConsoleTokenRecord): Promise<void>;
  /** deletes the token and returns it, expired or not: whoever gets it, once, decides (single use) */
  takeConsoleToken(tokenHash: string, kind: ConsoleTokenKind): Promise<ConsoleTokenRecord | undefined>;
  getConsoleToken(tokenHash: string, kind: ConsoleTokenKind): Promise<ConsoleTokenRecord | undefined>;
  deleteConsoleToken(tokenHash: string): Promise<void>;
  /** removes tokens whose expiresAt has passed; returns how many */
  purgeConsoleTokens(now: number): Promise<number>;
}

/** The table, in the dialect both stores accept. */
export const consoleTablesSql = (int: string, ifNotExists: string) => `
CREATE TABLE ${ifNotExists}console_tokens (
  token_hash TEXT PRIMARY KEY, kind TEXT NOT NULL, account_id TEXT NOT NULL REFERENCES accounts(account_id),
  key_hash TEXT, created_at ${int} NOT NULL, expires_at ${int} NOT NULL);
CREATE INDEX ${ifNotExists}console_tokens_expires ON console_tokens(expires_at);
`;

type Row = Record<string, unknown>;

export const consoleTokenFrom = (r: Row): ConsoleTokenRecord => ({
  tokenHash: r.token_hash as string,
  kind: r.kind as ConsoleTokenKind,
  accountId: r.account_id as string,
  keyHash: (r.key_hash as string | null) ?? null,
  createdAt: Number(r.created_at),
  expiresAt: Number(r.expires_at),
});

export const consoleTokenParams = (t: ConsoleTokenRecord) => [t.tokenHash, t.kind, t.accountId, t.keyHash, t.createdAt, t.expiresAt];
