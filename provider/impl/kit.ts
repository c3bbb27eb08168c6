// The provider skeleton every resource shares: check, diff, create, read, update and delete around what is
// each resource's own (its validation, its preview checks, its diff rules and its calls). It owns:
//  - the connection: one client per call, from the resource's connection, then stack config, then env;
//  - check: pure input failures first; control-plane checks only when they are on and can run; what a
//    preview can know of the outputs added to the checked inputs in one explicit step (the engine shows a
//    dynamic resource's checked inputs as its outputs while it previews);
//  - diff: a changed connection that acts for another account replaces; the plan's delete-first choice;
//  - read: GONE is an empty answer (the engine then drops the resource); an import also returns inputs;
//  - adoption (`importId`, adopt.ts): its input is validated here, and create adopts instead of creating;
//  - the plan diagram (PEERLINK_PLAN_DIAGRAM, preview/diagram.ts): each check records what it refused and
//    redraws the file.
import type * as dynamic from "@pulumi/pulumi/dynamic";
import { type Gone, isGone, PeerlinkApiError, type PeerlinkClient } from "../../contract";
import type { Violation } from "../../domain";
import { type ConfigSource, ConnectionConfigError, configureFrom } from "../config";
import { accountOf, asOfWorlds } from "../facts";
import { planDiagramPath, problemCodes, writePlanDiagram } from "../preview/diagram";
import { choseDeleteFirst, recordProblems } from "../preview/plan";
import type { CommonInputs, CommonOutputs, ConnectionInputs } from "../types";
import { connectionChanged, type DiffOutcome, type Failure, hasUnknown, type IdKind, subject, validateId, violationsToFailures } from "../validation";
import { adopt } from "./adopt";
import { clientFor } from "./client";

export { clientFor };

/**
 * PEERLINK_PREVIEW_CHECKS=off keeps check() to input validation: no control-plane reads or dry runs
 * (an offline preview, or measuring what the checks cost). Default on.
 */
export function controlPlaneChecksEnabled(): boolean {
  return (process.env.PEERLINK_PREVIEW_CHECKS ?? "on").toLowerCase() !== "off";
}

/** Removes the hidden planning input and undefined fields from checked inputs. */
export function withoutHidden<T extends object>(inputs: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(inputs)) {
    if (k === "__refs" || k === "__provider" || v === undefined) continue;
    out[k] = v;
  }
  return out as T;
}

/**
 * The account a changed connection acts for, or undefined when the connection did not change or is not
 * known yet (a preview). A connection that cannot be read is an error the user must see: the diff
 * cannot tell whether the resource changes account.
 */
export async function newAccountIfConnectionChanged(oldConn: ConnectionInputs | undefined, newConn: ConnectionInputs | undefined): Promise<string | undefined> {
  if (!connectionChanged(oldConn, newConn) || hasUnknown(newConn)) return undefined;
  return (await accountOf(clientFor(newConn), "reading the account of the new connection")).accountId;
}

/** The client the plan diagram reads the stored world with; none when the connection is unknown or unusable. */
function diagramClient(connection: ConnectionInputs | undefined): PeerlinkClient | undefined {
  if (hasUnknown(connection)) return undefined;
  try {
    return clientFor(connection);
  } catch {
    return undefined;
  }
}

/** A check failure for a connection problem, or rethrows anything else. */
export function connectionFailure(e: unknown): Failure {
  if (e instanceof ConnectionConfigError || e instanceof PeerlinkApiError) return { property: "connection", reason: e.message };
  throw e;
}

/** What a resource's preview check found: broken rules, and the outputs a preview can already know. */
export interface PreviewVerdict<O> {
  violations?: Violation[];
  /** failures already tied to a property */
  failures?: Failure[];
  known?: Partial<O>;
}

export interface ReadAnswer<I, O> {
  outs: O;
  /** the inputs that reproduce the resource, for an import */
  inputs: Partial<I>;
}

export interface ResourceSpec<I extends CommonInputs, O extends CommonOutputs> {
  kind: string;
  /** The kind of id an `importId` of this resource is ("vpc" for "vpc-..."); none: nothing to adopt. */
  idKind?: IdKind;
  /** What else an adopted resource must satisfy besides its replace fields (adopt.ts); each a sentence. */
  adoptionProblems?(existing: O, news: I): string[];
  /** Input failures that need no facts (pure). */
  validate(news: Partial<I>): Failure[];
  /** Where a broken rule without a field of its own is reported. */
  ruleProperty: string;
  /** False when a value the checks need is unknown: they run at `up` instead. */
  previewable?(news: I): boolean;
  /** The control-plane checks: the rule book over the program's projected world. */
  preview(client: PeerlinkClient, olds: Partial<I & O>, news: I): Promise<PreviewVerdict<O>>;
  diff(olds: O, news: I, newAccountId?: string): DiffOutcome;
  create(client: PeerlinkClient, inputs: I): Promise<{ id: string; outs: O }>;
  read(client: PeerlinkClient, id: string, props: Partial<O> | undefined): Promise<ReadAnswer<I, O> | Gone>;
  update(client: PeerlinkClient, id: string, olds: O, news: I): Promise<O>;
  delete(client: PeerlinkClient, id: string, props: O): Promise<void>;
}

export function defineProvider<I extends CommonInputs, O extends CommonOutputs>(spec: ResourceSpec<I, O>): dynamic.ResourceProvider<I, O> {
  const provider: dynamic.ResourceProvider<I, O> = {
    async configure(req: { config?: ConfigSource } | undefined) {
      configureFrom(req?.config);
    },

    async check(olds, news) {
      const checked = await checkInputs(olds, news);
      if (planDiagramPath()) {
        recordProblems(news.ownerRef, problemCodes(checked.failures));
        await writePlanDiagram(diagramClient(news.connection), `drawing the plan (${subject(spec.kind, news.ownerRef)})`);
      }
      return checked;
    },

    async diff(_id, olds, news) {
      const d = spec.diff(olds, news, await newAccountIfConnectionChanged(olds.connection, news.connection));
      const deleteFirst = d.deleteBeforeReplace === true || (d.replaces.length > 0 && choseDeleteFirst(news.ownerRef));
      return { changes: d.changes, replaces: d.replaces, deleteBeforeReplace: deleteFirst };
    },

    async create(inputs) {
      if (inputs.importId) return adopt(spec, clientFor(inputs.connection), inputs);
      return spec.create(clientFor(inputs.connection), inputs);
    },

    async read(id, props) {
      const found = await spec.read(clientFor(props?.connection), id, props);
      if (isGone(found)) return { id: "", props: {} as O };
      // No earlier state means an import: also say which inputs reproduce the resource, so no diff follows.
      if (props && props.ownerRef !== undefined) return { id, props: found.outs };
      return { id, props: found.outs, inputs: found.inputs as unknown as O };
    },

    async update(id, olds, news) {
      return { outs: await spec.update(clientFor(news.connection), id, olds, news) };
    },

    async delete(id, props) {
      await spec.delete(clientFor(props.connection), id, props);
    },
  };
  return provider;

  function importIdFailures(news: I): Failure[] {
    const s = subject(spec.kind, news.ownerRef);
    if (spec.idKind) return validateId(news.importId, spec.idKind, "importId", s, false);
    return news.importId === undefined ? [] : [{ property: "importId", reason: `${s}: there is nothing on the control plane to adopt; drop "importId"` }];
  }

  async function checkInputs(olds: I, news: I): Promise<{ inputs: I; failures: Failure[] }> {
    const declared = withoutHidden(news);
    const failures = [...spec.validate(news), ...importIdFailures(news)];
    const previewable = spec.previewable?.(news) ?? true;
    if (failures.length > 0 || hasUnknown(news.connection) || !previewable || !controlPlaneChecksEnabled()) {
      return { inputs: declared, failures };
    }
    let verdict: PreviewVerdict<O>;
    try {
      const client = clientFor(news.connection);
      // Ids this process created since it read the worlds are unknown to the checks, as in the preview.
      const asChecked = await asOfWorlds(client, `checking ${subject(spec.kind, news.ownerRef)}`, news);
      verdict = await spec.preview(client, (olds ?? {}) as unknown as Partial<I & O>, asChecked);
    } catch (e) {
      return { inputs: declared, failures: [connectionFailure(e)] };
    }
    const broken = [...(verdict.failures ?? []), ...violationsToFailures(verdict.violations ?? [], spec.ruleProperty, subject(spec.kind, news.ownerRef))];
    return { inputs: { ...declared, ...verdict.known } as I, failures: broken };
  }
}
