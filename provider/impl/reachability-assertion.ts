// ReachabilityAssertion provider: runs in the dynamic-provider process, loaded by name
// ("peerlink/dist/provider/impl/reachability-assertion.js"). It writes nothing: create and update ask the
// control plane (POST /v1/reachability) and fail when the answer is not the expected one; read asks again
// and records what it found, so a refresh after drift leaves `holds: false` and the next preview shows an
// update (the re-check), which makes `pulumi preview --expect-no-changes` fail.
import { createHash } from "node:crypto";
import { isApiError, type PeerlinkClient } from "../../contract";
import { describeReachability, parseEndpoint, type Reachability } from "../../domain";
import { accountOf, forgetWorlds } from "../facts";
import { logToEngine } from "../preview/engine-log";
import { previewReachability } from "../preview/reachability";
import type { ReachabilityAssertionInputs, ReachabilityAssertionOutputs, ReachabilityExpectation } from "../types";
import { type DiffOutcome, type Failure, isUnknown, subject, validateConnection, withAccountRule } from "../validation";
import { defineProvider, type PreviewVerdict } from "./kit";

const KIND = "ReachabilityAssertion";

/** A create or update whose answer is not the expected one. Stable code, like the API's errors. */
export class ReachabilityAssertionFailedError extends Error {
  readonly code = "ReachabilityAssertionFailed";
  constructor(
    message: string,
    readonly brokenHop: string,
  ) {
    super(message);
    this.name = "ReachabilityAssertionFailedError";
  }
}

type Found = { status: string; summary: string; brokenHop: string };

function endFailures(value: unknown, property: string, s: string): Failure[] {
  if (isUnknown(value)) return [];
  if (value === undefined || value === "") return [{ property, reason: `${s}: "${property}" is required` }];
  try {
    parseEndpoint(value, property);
    return [];
  } catch (e) {
    return [{ property, reason: `${s}: ${(e as Error).message}` }];
  }
}

/** All input failures of an assertion (pure). */
export function assertionFailures(news: Partial<ReachabilityAssertionInputs>): Failure[] {
  const s = subject(KIND, news.ownerRef);
  const expectFailure: Failure[] =
    isUnknown(news.expect) || news.expect === "reachable" || news.expect === "unreachable"
      ? []
      : [{ property: "expect", reason: `${s}: "expect" must be "reachable" or "unreachable", got ${JSON.stringify(news.expect)}` }];
  return [
    ...endFailures(news.source, "source", s),
    ...endFailures(news.destination, "destination", s),
    ...expectFailure,
    ...validateConnection(news.connection, "connection", s),
  ];
}

/** Every change re-checks in place; an assertion that did not hold at the last refresh is checked again. */
export function diffAssertion(olds: ReachabilityAssertionOutputs, news: ReachabilityAssertionInputs, newAccountId?: string): DiffOutcome {
  const updates: string[] = (["source", "destination", "expect"] as const).filter((k) => isUnknown(news[k]) || olds[k] !== news[k]);
  if (olds.holds === false) updates.push("holds");
  return withAccountRule({ changes: updates.length > 0, replaces: [], updates }, olds.accountId, newAccountId);
}

export function assertionId(ownerRef: string): string {
  return `reach-${createHash("sha256").update(ownerRef).digest("hex").slice(0, 12)}`;
}

function verdictText(expect: ReachabilityExpectation, summary: string): string {
  return expect === "reachable" ? `expected reachable, but ${summary}` : `expected unreachable, but ${summary}; remove a route or the peering on that path`;
}

function outputsOf(inputs: ReachabilityAssertionInputs, accountId: string, a: Found): ReachabilityAssertionOutputs {
  const outs: ReachabilityAssertionOutputs = {
    assertionId: assertionId(inputs.ownerRef),
    source: inputs.source,
    destination: inputs.destination,
    expect: inputs.expect,
    holds: a.status === inputs.expect,
    status: a.status,
    answer: a.summary,
    brokenHop: a.brokenHop,
    accountId,
    ownerRef: inputs.ownerRef,
  };
  if (inputs.connection) outs.connection = inputs.connection;
  return outs;
}

/** The control plane's answer now. An end that no longer exists answers "unreachable" with its error. */
async function ask(client: PeerlinkClient, op: string, inputs: ReachabilityAssertionInputs): Promise<Found> {
  try {
    const raw = await client.reachability(op, { source: inputs.source, destination: inputs.destination });
    return { status: raw.status, summary: raw.summary, brokenHop: raw.broken?.code ?? "" };
  } catch (e) {
    if (!isApiError(e, "NotFound")) throw e;
    return { status: "unreachable", summary: (e as Error).message, brokenHop: "NotFound" };
  }
}

function found(r: Reachability): Found {
  return { status: r.status, summary: describeReachability(r), brokenHop: r.status === "unreachable" ? r.broken.code : "" };
}

/**
 * create and update, after every other resource of the program is written: the walk over the world the
 * control plane holds now, as it will be at the end of this update (what the program no longer declares
 * is deleted then), so a preview that passed is an up that passes. Where that world cannot tell (a peer
 * account the program cannot read), the control plane answers (POST /v1/reachability).
 */
async function checkNow(client: PeerlinkClient, verb: string, inputs: ReachabilityAssertionInputs): Promise<ReachabilityAssertionOutputs> {
  const s = subject(KIND, inputs.ownerRef);
  const op = `${verb} ${s} (${inputs.source} -> ${inputs.destination})`;
  const account = await accountOf(client, op);
  forgetWorlds(); // the control plane as it is now, not as this process last read it
  const local = await previewReachability(client, op, inputs, "now");
  const a = "answer" in local && local.answer.status !== "undetermined" ? found(local.answer) : await ask(client, op, inputs);
  if (a.status !== inputs.expect) throw new ReachabilityAssertionFailedError(`${op}: ${verdictText(inputs.expect, a.summary)}`, a.brokenHop);
  return outputsOf(inputs, account.accountId, a);
}

async function previewCheck(client: PeerlinkClient, _olds: unknown, news: ReachabilityAssertionInputs): Promise<PreviewVerdict<ReachabilityAssertionOutputs>> {
  const s = subject(KIND, news.ownerRef);
  const found = await previewReachability(client, `checking ${s}`, news);
  if ("unknown" in found) {
    await logToEngine(`peerlink: ${s}: checked at \`pulumi up\` instead, because ${found.unknown}`);
    return {};
  }
  const r: Reachability = found.answer;
  if (r.status === "undetermined") {
    await logToEngine(`peerlink: ${s}: checked at \`pulumi up\` instead, because ${r.why}`);
    return {};
  }
  if (r.status === news.expect) return {};
  const code = r.status === "unreachable" ? r.broken.code : "Reachable";
  return { failures: [{ property: "destination", reason: `${s}: ${code}: ${verdictText(news.expect, describeReachability(r))}` }] };
}

const base = defineProvider<ReachabilityAssertionInputs, ReachabilityAssertionOutputs>({
  kind: KIND,
  validate: assertionFailures,
  ruleProperty: "destination",
  preview: previewCheck,
  diff: diffAssertion,

  async create(client, inputs) {
    const outs = await checkNow(client, "checking", inputs);
    return { id: outs.assertionId, outs };
  },

  async read(client, id, props) {
    // Nothing on the control plane to adopt: an assertion is declared, never imported.
    if (!props || props.source === undefined) {
      throw new Error(
        `reading ReachabilityAssertion (${id}): an assertion creates nothing on the control plane, so there is nothing to import; declare it in the program`,
      );
    }
    const inputs = props as ReachabilityAssertionInputs;
    const account = await accountOf(client, `reading ${subject(KIND, inputs.ownerRef)}`);
    const a = await ask(client, `re-checking ${subject(KIND, inputs.ownerRef)} (${inputs.source} -> ${inputs.destination})`, inputs);
    const outs = outputsOf(inputs, account.accountId, a);
    if (!outs.holds) await logToEngine(`peerlink: ${subject(KIND, inputs.ownerRef)} no longer holds: ${verdictText(inputs.expect, a.summary)}`, "warning");
    return { outs, inputs: { source: inputs.source, destination: inputs.destination, expect: inputs.expect } };
  },

  async update(client, _id, _olds, news) {
    return checkNow(client, "re-checking", news);
  },

  async delete() {
    // Nothing was created.
  },
});

/** The skeleton's provider, with the drift found by the last refresh said out loud in the preview. */
export const provider: typeof base = {
  ...base,
  async diff(id, olds, news) {
    if (olds.holds === false) {
      await logToEngine(
        `peerlink: ${subject(KIND, news.ownerRef)} did not hold at the last refresh (${olds.answer}); \`pulumi up\` checks it again after the rest of the program`,
        "warning",
      );
    }
    return base.diff!(id, olds, news);
  },
};
