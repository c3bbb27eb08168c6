/**
 * shouldReject(promise, code): the one way tests check a failure. It passes only when the promise (or the
 * function, for code that throws synchronously) fails with this stable error code, and returns what failed
 * so the test can go on asserting the message, details and status.
 *
 * Understood failures, by duck typing (so it follows the classes as they move):
 *  - an axios error whose response body is {error:{code,message,details}};
 *  - a resolved axios response with status >= 400 and that body (requests made with validateStatus: () => true);
 *  - any error with a string `code`: the domain's PeerlinkError (httpStatus always set), the provider's
 *    PeerlinkApiError (httpStatus undefined for NetworkError and Timeout), the provider's configuration errors.
 * Anything else, and a promise that resolves, fails with a chai AssertionError that says what came instead.
 * `because`, when given, opens every failure message (like chai's own message argument).
 */
import { expect } from "chai";

export type RejectedWith = {
  code: string;
  message: string;
  details: Record<string, unknown>;
  /** The HTTP status when there is one; undefined for errors that never reached a server. */
  status?: number;
  /** The thrown value itself, for assertions on its class, stack or serialized form. */
  error: unknown;
};

type ErrorBody = { code?: unknown; message?: unknown; details?: unknown };

function objectOrEmpty(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === "object" ? (v as Record<string, unknown>) : {};
}

function describeValue(v: unknown): string {
  if (v instanceof Error) return v.stack ?? `${v.name}: ${v.message}`;
  try {
    return String(JSON.stringify(v)).slice(0, 500);
  } catch {
    return String(v);
  }
}

function fromBody(body: ErrorBody, status: number | undefined, error: unknown, code: string, because: string): RejectedWith {
  const message = String(body.message ?? "");
  expect(body.code, `${because}error code (status ${status}, message: ${message})`).to.equal(code);
  return { code: String(body.code), message, details: objectOrEmpty(body.details), status, error };
}

export async function shouldReject(subject: Promise<unknown> | (() => unknown), code: string, because?: string): Promise<RejectedWith> {
  const why = because ? `${because}: ` : "";
  let value: unknown;
  try {
    value = await (typeof subject === "function" ? subject() : subject);
  } catch (e) {
    return rejectedWith(e, code, why);
  }
  // A response resolved without throwing (validateStatus: () => true): its error body counts too.
  const res = value as { status?: unknown; data?: { error?: ErrorBody } } | null | undefined;
  const body = res?.data?.error;
  if (typeof res?.status === "number" && res.status >= 400 && body && typeof body.code === "string") {
    return fromBody(body, res.status, value, code, why);
  }
  const what = typeof res?.status === "number" ? `a ${res.status} response ${describeValue(res.data)}` : describeValue(value);
  return expect.fail(`${why}expected a ${code} error, but it succeeded with ${what}`);
}

function rejectedWith(e: unknown, code: string, why: string): RejectedWith {
  const err = objectOrEmpty(e);
  const response = objectOrEmpty(err.response);
  const body = objectOrEmpty(response.data).error as ErrorBody | undefined;
  const status = typeof response.status === "number" ? response.status : undefined;
  if (body && typeof body.code === "string") return fromBody(body, status, e, code, why);
  if (err.isAxiosError === true) {
    // axios's own codes (ECONNREFUSED, ERR_BAD_RESPONSE) are not the server's stable codes.
    return expect.fail(`${why}expected a ${code} error, got an HTTP failure without an error body (status ${status}): ${describeValue(e)}`);
  }
  if (typeof err.code === "string") {
    const message = String(err.message ?? "");
    expect(err.code, `${why}error code (message: ${message})`).to.equal(code);
    const httpStatus = typeof err.httpStatus === "number" ? err.httpStatus : undefined;
    return { code: err.code, message, details: objectOrEmpty(err.details), status: httpStatus, error: e };
  }
  return expect.fail(`${why}expected a ${code} error, got one without a code: ${describeValue(e)}`);
}
