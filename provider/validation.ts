// Small pure validators and diff rules, exported for tests. The rules themselves (CIDR syntax,
// regions, overlap, quotas, routes, acceptance) come from the shared domain module; this file only
// turns their results into Pulumi check failures and handles preview unknowns.
// Runs in both processes; must not import @pulumi/pulumi at run time.
import {
  assertRegion,
  checkVpcCidr,
  DESCRIPTION_MAX_LENGTH,
  NAME_MAX_LENGTH,
  PeerlinkError,
  parseCidr,
  subnetCidrViolations,
  TAG_KEY_MAX_LENGTH,
  TAG_VALUE_MAX_LENGTH,
  TAGS_MAX_ENTRIES,
  Violation,
} from "../domain";
import type { ConnectionInputs } from "./types";

/** What the engine sends for a value not known during preview, whatever the property's type. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface Failure {
  property: string;
  reason: string;
}

export function isUnknown(v: unknown): boolean {
  return v === UNKNOWN;
}

/** True when v is, or contains anywhere (arrays, objects), the unknown sentinel. */
export function hasUnknown(v: unknown): boolean {
  if (v === UNKNOWN) return true;
  if (Array.isArray(v)) return v.some(hasUnknown);
  if (v && typeof v === "object") return Object.values(v as Record<string, unknown>).some(hasUnknown);
  return false;
}

/** The value when it is a known string, else undefined. */
export function knownString(v: unknown): string | undefined {
  return typeof v === "string" && v !== UNKNOWN ? v : undefined;
}

/** The resource name inside an ownerRef "project/stack/type/name". */
export function nameFromOwnerRef(ownerRef: unknown): string | undefined {
  const ref = knownString(ownerRef);
  if (!ref) return undefined;
  const parts = ref.split("/");
  return parts.length >= 4 ? parts.slice(3).join("/") : undefined;
}

/** `VPC "app"` style label from a resource kind and its ownerRef. */
export function subject(kind: string, ownerRef: unknown): string {
  const name = nameFromOwnerRef(ownerRef);
  return name ? `${kind} "${name}"` : kind;
}

function prefixed(subj: string | undefined, reason: string): string {
  return subj ? `${subj}: ${reason}` : reason;
}

/** A malformed input: the code the server answers the same input with. */
function invalid(subj: string | undefined, reason: string): string {
  return prefixed(subj, `ValidationError: ${reason}`);
}

function fromDomainError(e: unknown, property: string, subj?: string): Failure[] {
  if (e instanceof PeerlinkError) return [{ property, reason: prefixed(subj, `${e.code}: ${e.message}`) }];
  return [{ property, reason: invalid(subj, e instanceof Error ? e.message : String(e)) }];
}

// ---------------------------------------------------------------------------------------------
// Field validators: each returns [] when valid or unknown.

export function validateRegion(value: unknown, property = "region", subj?: string): Failure[] {
  if (isUnknown(value)) return [];
  try {
    assertRegion(value, property);
    return [];
  } catch (e) {
    return fromDomainError(e, property, subj);
  }
}

/** A VPC CIDR: strict syntax, canonical (the message gives the canonical form), /8 to /28. */
export function validateVpcCidr(value: unknown, property = "cidrBlock", subj?: string): Failure[] {
  if (isUnknown(value)) return [];
  try {
    checkVpcCidr(value, property);
    return [];
  } catch (e) {
    return fromDomainError(e, property, subj);
  }
}

/** A subnet CIDR: strict syntax, canonical, /16 to /28 (the VPC's own rules are checked at preview). */
export function validateSubnetCidr(value: unknown, property = "cidrBlock", subj?: string): Failure[] {
  if (isUnknown(value)) return [];
  return subnetCidrViolations(value, property).violations.map((v) => ({ property, reason: prefixed(subj, `${v.code}: ${v.message}`) }));
}

/** A zone name: free text, at most 64 characters. */
export function validateZone(value: unknown, property = "zone", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "string" || value.length > 64) return [{ property, reason: invalid(subj, `"${property}" must be a string of at most 64 characters`) }];
  return [];
}

/** A route destination: strict, canonical CIDR of any size. */
export function validateDestinationCidr(value: unknown, property = "destinationCidrBlock", subj?: string): Failure[] {
  if (isUnknown(value)) return [];
  try {
    parseCidr(value, property);
    return [];
  } catch (e) {
    return fromDomainError(e, property, subj);
  }
}

const ID_RE: Record<string, RegExp> = {
  vpc: /^vpc-[0-9a-f]{12}$/,
  rtb: /^rtb-[0-9a-f]{12}$/,
  pcx: /^pcx-[0-9a-f]{12}$/,
  rt: /^rt-[0-9a-f]{12}$/,
  subnet: /^subnet-[0-9a-f]{12}$/,
  vbr: /^vbr-[0-9a-f]{12}$/,
  acc: /^acc-[0-9a-f]{12}$/,
};

export type IdKind = keyof typeof ID_RE;

/** An id of the given kind ("vpc", "rtb", "pcx", "rt", "acc"): prefix + 12 lowercase hex. */
export function validateId(value: unknown, kind: IdKind, property: string, subj?: string, required = true): Failure[] {
  if (isUnknown(value)) return [];
  if (value === undefined || value === null || value === "") {
    return required ? [{ property, reason: invalid(subj, `"${property}" is required`) }] : [];
  }
  if (typeof value !== "string" || !ID_RE[kind].test(value)) {
    return [
      {
        property,
        reason: invalid(subj, `"${property}" value ${JSON.stringify(value)} is not a ${kind} id; expected "${kind}-" followed by 12 lowercase hex digits`),
      },
    ];
  }
  return [];
}

export function validateName(value: unknown, property = "name", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "string") return [{ property, reason: invalid(subj, `"${property}" must be a string`) }];
  if (value.length > NAME_MAX_LENGTH)
    return [{ property, reason: invalid(subj, `"${property}" is ${value.length} characters long; use at most ${NAME_MAX_LENGTH}`) }];
  return [];
}

export const MAX_TAGS = TAGS_MAX_ENTRIES;

export function validateTags(value: unknown, property = "tags", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    return [{ property, reason: invalid(subj, `"${property}" must be a map of string to string`) }];
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const out: Failure[] = [];
  if (entries.length > MAX_TAGS) {
    out.push({ property, reason: invalid(subj, `"${property}" has ${entries.length} entries; use at most ${MAX_TAGS}`) });
  }
  for (const [k, v] of entries) {
    if (k.length < 1 || k.length > TAG_KEY_MAX_LENGTH) {
      out.push({
        property,
        reason: invalid(subj, `tag key ${JSON.stringify(k.slice(0, 40))} is ${k.length} characters long; use 1 to ${TAG_KEY_MAX_LENGTH}`),
      });
    }
    if (typeof v !== "string" && !isUnknown(v)) {
      out.push({ property, reason: invalid(subj, `tag ${JSON.stringify(k)} must have a string value, got ${JSON.stringify(v)}`) });
    } else if (typeof v === "string" && v.length > TAG_VALUE_MAX_LENGTH) {
      out.push({
        property,
        reason: invalid(subj, `the value of tag ${JSON.stringify(k)} is ${v.length} characters long; use at most ${TAG_VALUE_MAX_LENGTH}`),
      });
    }
  }
  return out;
}

export function validateBandwidthInput(value: unknown, property = "bandwidthMbps", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
    return [{ property, reason: invalid(subj, `"${property}" must be a whole number of Mbps >= 1, got ${JSON.stringify(value)}`) }];
  }
  return [];
}

export function validateConnection(value: unknown, property = "connection", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "object" || Array.isArray(value)) {
    return [{ property, reason: invalid(subj, `"${property}" must be an object { endpoint?, apiKey? }`) }];
  }
  const c = value as Record<string, unknown>;
  const out: Failure[] = [];
  for (const k of Object.keys(c)) {
    if (k !== "endpoint" && k !== "apiKey") {
      out.push({ property, reason: invalid(subj, `"${property}" has unknown field ${JSON.stringify(k)}; use endpoint and apiKey`) });
    }
  }
  const ep = c.endpoint;
  if (ep !== undefined && ep !== null && !isUnknown(ep)) {
    if (typeof ep !== "string" || !/^https?:\/\/[^\s/]+/.test(ep)) {
      out.push({ property, reason: invalid(subj, `"${property}.endpoint" must be an http(s) URL such as http://127.0.0.1:8787, got ${JSON.stringify(ep)}`) });
    }
  }
  const key = c.apiKey;
  if (key !== undefined && key !== null && !isUnknown(key) && typeof key !== "string") {
    // Never echo the value: it is a secret.
    out.push({ property, reason: invalid(subj, `"${property}.apiKey" must be a string`) });
  }
  return out;
}

export function validateOnDelete(value: unknown, property = "onDelete", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (value !== "disconnect" && value !== "retain") {
    return [
      { property, reason: invalid(subj, `"${property}" must be "disconnect" (delete the peering on destroy) or "retain", got ${JSON.stringify(value)}`) },
    ];
  }
  return [];
}

export function validateAllowedAccounts(value: unknown, property = "allowedRequesterAccountIds", subj?: string): Failure[] {
  if (isUnknown(value)) return [];
  if (!Array.isArray(value) || value.length === 0) {
    return [
      {
        property,
        reason: invalid(
          subj,
          `"${property}" is required: list the account ids (acc-...) whose peering requests this stack may accept; never accept requests from unknown accounts`,
        ),
      },
    ];
  }
  return value.flatMap((v, i) => validateId(v, "acc", `${property}[${i}]`, subj).map((f) => ({ ...f, property })));
}

/** Accounts that may request peerings to a VPC: optional, at most 100 distinct account ids. */
export function validatePeerAccounts(value: unknown, property = "allowedPeerAccountIds", subj?: string): Failure[] {
  if (value === undefined || isUnknown(value)) return [];
  if (!Array.isArray(value) || value.length > 100) {
    return [{ property, reason: invalid(subj, `"${property}" must be a list of at most 100 account ids (acc-...)`) }];
  }
  const ids = value.flatMap((v, i) => validateId(v, "acc", `${property}[${i}]`, subj).map((f) => ({ ...f, property })));
  if (ids.length === 0 && new Set(value).size !== value.length) {
    return [{ property, reason: invalid(subj, `"${property}" lists an account twice; list each once`) }];
  }
  return ids;
}

export function validateDescription(value: unknown, property = "description", subj?: string): Failure[] {
  if (value === undefined || value === null || isUnknown(value)) return [];
  if (typeof value !== "string") return [{ property, reason: invalid(subj, `"${property}" must be a string`) }];
  if (value.length > DESCRIPTION_MAX_LENGTH)
    return [{ property, reason: invalid(subj, `"${property}" is ${value.length} characters long; use at most ${DESCRIPTION_MAX_LENGTH}`) }];
  return [];
}

// ---------------------------------------------------------------------------------------------
// Violations (domain rules, server dry runs) -> check failures

/**
 * One failure per violation, on the violation's field (else `fallbackProperty`), deduplicated by
 * property + reason. `subj` prefixes the reason with the resource ("PeeringConnection "a-to-b": ...").
 */
export function violationsToFailures(
  violations: Violation[] | { code: string; message: string; field?: string }[],
  fallbackProperty: string,
  subj?: string,
): Failure[] {
  const out: Failure[] = [];
  const seen = new Set<string>();
  for (const v of violations) {
    const property = v.field && !v.field.includes(" ") ? v.field : fallbackProperty;
    const reason = prefixed(subj, `${v.code}: ${v.message}`);
    const key = `${property}\u0000${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ property, reason });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Diff helpers

/** Deep equality on JSON-like values; undefined, null and missing are equal. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === undefined || a === null) return b === undefined || b === null;
  if (b === undefined || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (typeof a === "object" && typeof b === "object") {
    const ka = Object.keys(a as object).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
    const kb = Object.keys(b as object).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
    if (ka.length !== kb.length) return false;
    return ka.every((k) => sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return a === b;
}

/** Tags with "not set" read as {}. */
export function sameTags(a: unknown, b: unknown): boolean {
  const norm = (t: unknown) => (t && typeof t === "object" ? t : {});
  return sameValue(norm(a), norm(b));
}

/** Whether the connection input changed (unknown counts as unchanged: decided at update time). */
export function connectionChanged(oldConn: ConnectionInputs | undefined, newConn: ConnectionInputs | undefined): boolean {
  if (hasUnknown(newConn)) return false;
  return !sameValue(oldConn ?? {}, newConn ?? {});
}

export interface DiffOutcome {
  changes: boolean;
  replaces: string[];
  /** Properties that change in place. */
  updates: string[];
  deleteBeforeReplace?: boolean;
}

export type FieldRule<O, N> = {
  property: string;
  kind: "replace" | "update";
  /** True when unchanged. Called only when the new value is known. */
  same: (olds: O, news: N) => boolean;
  /** The new value to test for unknown (default news[property]). */
  newValue?: (news: N) => unknown;
};

/** Applies field rules: unknown new values of replace fields replace; of update fields, update. */
export function applyFieldRules<O, N>(olds: O, news: N, rules: FieldRule<O, N>[]): DiffOutcome {
  const replaces: string[] = [];
  const updates: string[] = [];
  for (const r of rules) {
    const nv = r.newValue ? r.newValue(news) : (news as Record<string, unknown>)[r.property];
    const changed = hasUnknown(nv) ? true : !r.same(olds, news);
    if (!changed) continue;
    (r.kind === "replace" ? replaces : updates).push(r.property);
  }
  return { changes: replaces.length + updates.length > 0, replaces, updates };
}

/**
 * Adds the connection rule: a connection that now resolves to another account replaces (a resource
 * cannot move between accounts); a new key or endpoint for the same account changes nothing.
 */
export function withAccountRule(d: DiffOutcome, oldAccountId: string | undefined, newAccountId: string | undefined): DiffOutcome {
  if (newAccountId === undefined || oldAccountId === undefined || newAccountId === oldAccountId) return d;
  return { ...d, changes: true, replaces: [...d.replaces, "connection"] };
}
