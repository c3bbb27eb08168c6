// Create, read, update and delete for a resource the control plane keeps as one plain record (Vpc,
// Subnet, RouteTable, BorderRouter): one idempotent POST, a GET, a PATCH of the changed fields, a DELETE.
// Each resource names its calls and its shapes; the lifecycle is written once here.
import { deleted, type Gone, isGone, NotFoundApiError, type PeerlinkClient } from "../../contract";
import type { CommonInputs, CommonOutputs } from "../types";
import { changedFields, createOnce } from "./common";
import type { ResourceSpec } from "./kit";

export interface RecordCalls<I extends CommonInputs, O extends CommonOutputs, R, B extends object, P extends object> {
  kind: string;
  /** how an error names it: "subnet" in "subnet subnet-1 no longer exists" */
  noun: string;
  /** "name (id)" or what else identifies it in an operation's message */
  label(inputs: Partial<I>, id?: string): string;
  idOf(record: R): string;
  /** the create's body, from the checked inputs */
  body(inputs: I): B;
  /** the inputs an in-place update may change, sent when they differ */
  patchable: readonly (keyof I & keyof P)[];
  post(client: PeerlinkClient, op: string, body: B, token: string): Promise<{ status: number; data: R }>;
  find(client: PeerlinkClient, op: string, id: string): Promise<R | Gone>;
  patch(client: PeerlinkClient, op: string, id: string, patch: P): Promise<R>;
  remove(client: PeerlinkClient, op: string, id: string): Promise<void>;
  outputs(record: R, inputs: Partial<I>): O;
  inputsFromApi(record: R): Partial<I>;
  /** refuses a record found at read that this resource must not manage */
  refuseRead?(record: R, op: string, id: string): void;
}

export function recordLifecycle<I extends CommonInputs, O extends CommonOutputs, R, B extends object, P extends object>(
  calls: RecordCalls<I, O, R, B, P>,
): Pick<ResourceSpec<I, O>, "create" | "read" | "update" | "delete"> {
  const { kind, noun } = calls;
  return {
    async create(client, inputs) {
      const op = `creating ${kind} (${calls.label(inputs)})`;
      const body = calls.body(inputs);
      const made = await createOnce(
        inputs.ownerRef,
        body,
        (token) => calls.post(client, op, body, token),
        async (r) => !isGone(await calls.find(client, op, calls.idOf(r))),
        calls.idOf,
      );
      return { id: calls.idOf(made), outs: calls.outputs(made, inputs) };
    },

    async read(client, id, props) {
      const op = `reading ${kind} (${id})`;
      const r = await calls.find(client, op, id);
      if (isGone(r)) return r;
      calls.refuseRead?.(r, op, id);
      return { outs: calls.outputs(r, (props ?? {}) as unknown as Partial<I>), inputs: calls.inputsFromApi(r) };
    },

    async update(client, id, olds, news) {
      const op = `updating ${kind} (${calls.label(news, id)})`;
      const patch = changedFields<I, keyof I & keyof P>(olds as unknown as Partial<I>, news, calls.patchable) as unknown as P;
      const r = Object.keys(patch).length > 0 ? await calls.patch(client, op, id, patch) : await calls.find(client, op, id);
      if (isGone(r)) throw new NotFoundApiError(op, `${noun} ${id} no longer exists`, { hint: "run `pulumi refresh`, then `pulumi up` re-creates it" });
      return calls.outputs(r, news);
    },

    async delete(client, id, props) {
      await deleted(calls.remove(client, `deleting ${kind} (${calls.label(props as unknown as Partial<I>, id)})`, id));
    },
  };
}
