// Adopt-by-id, once for every resource type (the kit's part of `importId`). Pulumi's `import` cannot reach a
// dynamic provider (pulumi/pulumi#16175), so a resource takes the id of an existing one as an input:
//  - the first `up` reads it, refuses it when a field that would replace differs from the declaration
//    (one ImportMismatch error naming every such field and both values), then converges what update
//    changes, and manages it from then on;
//  - the preview does the same comparison over what the account can read;
//  - afterwards `importId` takes no part in diff: changing or removing it changes nothing.
import { type Gone, ImportMismatchApiError, isGone, NotFoundApiError, type PeerlinkClient } from "../../contract";
import { type Order, plannedByOwnerRef } from "../preview/plan";
import type { CommonInputs, CommonOutputs } from "../types";
import { type DiffOutcome, type Failure, hasUnknown, knownString, subject } from "../validation";

/** One field where the existing resource differs from the declaration in a way only a replacement could fix. */
export interface Mismatch {
  property: string;
  declared: unknown;
  actual: unknown;
}

/** What adoption needs of a resource's spec (kit.ts ResourceSpec has all of it). */
export interface Adoptable<I extends CommonInputs, O extends CommonOutputs> {
  kind: string;
  diff(olds: O, news: I): DiffOutcome;
  read(client: PeerlinkClient, id: string, props: Partial<O> | undefined): Promise<{ outs: O } | Gone>;
  update(client: PeerlinkClient, id: string, olds: O, news: I): Promise<O>;
  /** Conditions beyond the replace fields (e.g. an acceptance's allow-list); each a sentence. */
  adoptionProblems?(existing: O, news: I): string[];
}

/** The part of a spec the comparison needs (the preview has no read or update to offer). */
export type AdoptRules<I extends CommonInputs, O extends CommonOutputs> = Pick<Adoptable<I, O>, "kind" | "diff" | "adoptionProblems">;

function show(v: unknown): string {
  return v === undefined ? "(not set)" : JSON.stringify(v);
}

/**
 * The fields that differ so that adopting would need a replacement: the resource's own replace rules. A
 * value the preview does not know yet (another resource's id) is compared at `up`.
 */
export function adoptionMismatches<I extends CommonInputs, O extends CommonOutputs>(spec: AdoptRules<I, O>, existing: O, news: I): Mismatch[] {
  const d = spec.diff(existing, news);
  const field = (o: object, k: string) => (o as Record<string, unknown>)[k];
  return d.replaces
    .filter((p) => p !== "connection" && !hasUnknown(field(news, p)))
    .map((p) => ({ property: p, declared: field(news, p), actual: field(existing, p) }));
}

/** `cidrBlock: declared "10.1.0.0/16", actual "10.2.0.0/16"; ...` */
export function describeMismatches(mismatches: Mismatch[]): string {
  return mismatches.map((m) => `${m.property}: declared ${show(m.declared)}, actual ${show(m.actual)}`).join("; ");
}

const HINT = 'declare the resource as it is (each field above to its actual value), or drop "importId" to create a new one';

/** Everything wrong with adopting `existing` as `news`, as one sentence, or undefined when it can be adopted. */
export function adoptionProblem<I extends CommonInputs, O extends CommonOutputs>(spec: AdoptRules<I, O>, existing: O, news: I): string | undefined {
  const mismatches = adoptionMismatches(spec, existing, news);
  const other = spec.adoptionProblems?.(existing, news) ?? [];
  const parts = [...(mismatches.length > 0 ? [`it differs from the declaration in ${describeMismatches(mismatches)}`] : []), ...other];
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/**
 * The id being adopted when a read's props are an adoption's declaration (adopt() passes the inputs,
 * with their importId, where a read otherwise gets the earlier state); undefined for any other read.
 */
export function adoptionRead(props: object | undefined): string | undefined {
  return knownString((props as { importId?: unknown } | undefined)?.importId);
}

/** Create's path for an `importId`: verify, converge the in-place fields, manage. */
export async function adopt<I extends CommonInputs, O extends CommonOutputs>(
  spec: Adoptable<I, O>,
  client: PeerlinkClient,
  inputs: I,
): Promise<{ id: string; outs: O }> {
  const id = inputs.importId!;
  const op = `adopting ${subject(spec.kind, inputs.ownerRef)} (${id})`;
  // The declaration stands in for the earlier state a read would otherwise have (e.g. a route's table).
  const found = await spec.read(client, id, inputs as unknown as Partial<O>);
  if (isGone(found)) {
    throw new NotFoundApiError(op, `${id} does not exist (or is deleted) as far as this connection's account can see`, {
      hint: 'check "importId" and that the connection is the owner\'s, or drop "importId" to create a new one',
    });
  }
  const mismatches = adoptionMismatches(spec, found.outs, inputs);
  const problem = adoptionProblem(spec, found.outs, inputs);
  if (problem) {
    throw new ImportMismatchApiError(op, `${id} cannot be adopted: ${problem}`, { hint: HINT, details: { importId: id, mismatches } });
  }
  return { id, outs: await spec.update(client, id, found.outs, inputs) };
}

/** True while the resource is not in the state yet and its check carries a known `importId`. */
export function adoptsNow(olds: Partial<CommonInputs>, news: CommonInputs): boolean {
  return olds.ownerRef === undefined && knownString(news.importId) !== undefined;
}

/**
 * The declaration with ids the preview can know filled in: a field given as another program resource's
 * output (unknown during a preview) whose resource exists already (adopted, or from an earlier run) is
 * that resource's id. So an adoption between the wrong VPCs is caught at preview, not only at `up`.
 */
export function withKnownRefs<I extends CommonInputs>(news: I, refs: Partial<Record<keyof I & string, string | undefined>>): I {
  const out = { ...news } as Record<string, unknown>;
  for (const [field, ownerRef] of Object.entries(refs) as [string, string | undefined][]) {
    if (!hasUnknown(out[field])) continue;
    const e = plannedByOwnerRef(ownerRef);
    if (e?.existingId !== undefined && (e.order === "same" || e.order === "update")) out[field] = e.existingId;
  }
  return out as unknown as I;
}

/**
 * The preview of an adoption. `existing` is the resource with that id as the account's world shows it
 * (as outputs), or undefined when the world has none. Failures go on "importId"; the order tells the plan
 * whether the first `up` writes it (an in-place update) or not.
 */
export function previewAdoption<I extends CommonInputs, O extends CommonOutputs>(
  spec: AdoptRules<I, O>,
  news: I,
  existing: O | undefined,
  accountId: string,
): { failures: Failure[]; order: Order } {
  const s = subject(spec.kind, news.ownerRef);
  const id = news.importId;
  if (!existing) {
    return {
      failures: [{ property: "importId", reason: `${s}: NotFound: ${id} does not exist in account ${accountId}; check "importId" and the connection` }],
      order: "create",
    };
  }
  const problem = adoptionProblem(spec, existing, news);
  if (problem) return { failures: [{ property: "importId", reason: `${s}: ImportMismatch: ${id} cannot be adopted: ${problem}; ${HINT}` }], order: "same" };
  // Fields not known yet (another resource's id) are the adopted resources' own: no write.
  const d = spec.diff(existing, news);
  const writes = [...d.replaces, ...d.updates].filter((p) => !hasUnknown((news as unknown as Record<string, unknown>)[p]));
  return { failures: [], order: writes.length > 0 ? "update" : "same" };
}
