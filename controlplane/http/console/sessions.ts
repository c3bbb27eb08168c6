// Issue 13: console sign-in. A one-time sign-in link (made by `peerlink console` straight on the store, or
// by an authenticated POST) is exchanged once for a session; so is an API key typed into the sign-in form.
// Both live in the store (console_tokens), so any replica on a shared PostgreSQL answers for them. Only
// sha256 hashes are stored; the secrets themselves are returned once and never logged.
import crypto from "node:crypto";
import { NotFoundError, UnauthorizedError, ValidationError } from "../../../domain";
import { hashApiKey } from "../../ids";
import { openStore, StoreLocation } from "../../store/open";
import { Store } from "../../store/store";
import type { Caller } from "../../usecases/tx";

/** A sign-in link works once, within this time. */
export const SIGN_IN_LINK_TTL_MS = 5 * 60 * 1000;
/** A session ends after this long at the latest (and when the browser closes: its cookie has no Max-Age). */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;
export const SESSION_COOKIE = "peerlink_console";
/** Cookie-authenticated requests must carry this header: a cross-site form or image cannot set it. */
export const CONSOLE_HEADER = "x-peerlink-console";

const newSecret = (prefix: string) => `${prefix}_${crypto.randomBytes(32).toString("base64url")}`;
const hash = (secret: string) => crypto.createHash("sha256").update(secret, "utf8").digest("hex");

export type SignInLink = { accountId: string; token: string; expiresAt: string };

/** A one-time sign-in token for the account; the caller puts it in a URL fragment (#signin=...). */
export async function createSignInToken(store: Store, accountId: string, now = Date.now()): Promise<SignInLink> {
  const token = newSecret("pls");
  await store.transaction(async (tx) => {
    if (!(await tx.getAccount(accountId))) throw new NotFoundError(`account ${accountId} not found in this store`, { accountId });
    await tx.purgeConsoleTokens(now);
    await tx.insertConsoleToken({
      tokenHash: hash(token),
      kind: "sign-in-link",
      accountId,
      keyHash: null,
      createdAt: now,
      expiresAt: now + SIGN_IN_LINK_TTL_MS,
    });
  });
  return { accountId, token, expiresAt: new Date(now + SIGN_IN_LINK_TTL_MS).toISOString() };
}

/** The account of `--account NAME|ID` on the store; a name shared by several accounts must be given as an id. */
export async function resolveAccount(store: Store, nameOrId: string): Promise<string> {
  return store.read(async (tx) => {
    if (/^acc-[0-9a-f]{12}$/.test(nameOrId)) {
      if (await tx.getAccount(nameOrId)) return nameOrId;
      throw new NotFoundError(`account ${nameOrId} not found in this store; check --account and --data or --store`, { account: nameOrId });
    }
    const found = await tx.listAccountsByName(nameOrId);
    if (found.length === 1) return found[0].accountId;
    if (found.length === 0) {
      throw new NotFoundError(`no account is named ${JSON.stringify(nameOrId)} in this store; create one with \`peerlink account create\``, {
        account: nameOrId,
      });
    }
    throw new ValidationError(
      `${found.length} accounts are named ${JSON.stringify(nameOrId)}; pass --account with one of ${found.map((a) => a.accountId).join(", ")}`,
      {
        field: "account",
      },
    );
  });
}

/** `peerlink console`: a sign-in token for the account named (or with the id) given, on a data dir or database. */
export async function signInTokenFor(where: StoreLocation, nameOrId: string): Promise<SignInLink> {
  const store = await openStore(where, { listen: false, poolSize: 1 });
  try {
    return await createSignInToken(store, await resolveAccount(store, nameOrId));
  } finally {
    await store.close();
  }
}

export type OpenedSession = { secret: string; accountId: string; expiresAt: number };

const LINK_REFUSED = "this sign-in link is not valid: it was used already or has expired; run `npx peerlink console` again for a new one";

/** Exchanges a sign-in token (once) or an API key for a session. */
export async function openSession(store: Store, proof: { token?: string; apiKey?: string }, now = Date.now()): Promise<OpenedSession> {
  const secret = newSecret("plc");
  return store.transaction(async (tx) => {
    await tx.purgeConsoleTokens(now);
    let accountId: string;
    let keyHash: string | null = null;
    if (proof.token !== undefined) {
      // Taken (deleted) whatever happens next: a token is tried once.
      const link = await tx.takeConsoleToken(hash(proof.token), "sign-in-link");
      if (!link || link.expiresAt <= now) throw new UnauthorizedError(LINK_REFUSED);
      accountId = link.accountId;
    } else if (proof.apiKey !== undefined) {
      keyHash = hashApiKey(proof.apiKey);
      const key = await tx.getApiKey(keyHash);
      if (!key || (key.expiresAt !== null && key.expiresAt <= now)) {
        throw new UnauthorizedError("the API key is not valid (unknown, revoked or past its grace period)");
      }
      accountId = key.accountId;
    } else {
      throw new ValidationError('send "token" (from a sign-in link) or "apiKey"', { field: "token" });
    }
    const expiresAt = now + SESSION_TTL_MS;
    await tx.insertConsoleToken({ tokenHash: hash(secret), kind: "session", accountId, keyHash, createdAt: now, expiresAt });
    return { secret, accountId, expiresAt };
  });
}

/** The caller of a session cookie: undefined when it is unknown, expired, or its API key has ended. */
export async function sessionCaller(store: Store, secret: string, now = Date.now()): Promise<Caller | undefined> {
  const tokenHash = hash(secret);
  return store.read(async (tx) => {
    const s = await tx.getConsoleToken(tokenHash, "session");
    if (!s || s.expiresAt <= now) return undefined;
    if (s.keyHash !== null) {
      const key = await tx.getApiKey(s.keyHash);
      if (!key || (key.expiresAt !== null && key.expiresAt <= now)) return undefined;
    }
    const acc = await tx.getAccount(s.accountId);
    if (!acc) return undefined;
    // The audit trail names the key a session came from, or the session itself (never a secret).
    return { accountId: acc.accountId, name: acc.name, keyId: s.keyHash ? s.keyHash.slice(0, 12) : `console-${tokenHash.slice(0, 8)}` };
  });
}

export async function closeSession(store: Store, secret: string): Promise<void> {
  await store.transaction((tx) => tx.deleteConsoleToken(hash(secret)));
}
