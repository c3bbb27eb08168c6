/**
 * shouldReject(promise, code): the promise must fail with this stable error code, either as an axios
 * error whose response body is {error:{code}} or as a thrown PeerlinkError. Returns the error body.
 */
import { expect } from "chai";

export type RejectedWith = { code: string; message: string; details: Record<string, unknown>; status?: number };

export async function shouldReject(promise: Promise<unknown>, code: string): Promise<RejectedWith> {
  let value: unknown;
  try {
    value = await promise;
  } catch (e) {
    const err = e as any;
    const body = err?.response?.data?.error;
    if (body && typeof body.code === "string") {
      expect(body.code, `error code (message: ${body.message})`).to.equal(code);
      return { code: body.code, message: body.message, details: body.details ?? {}, status: err.response.status };
    }
    if (typeof err?.code === "string" && typeof err?.httpStatus === "number") {
      expect(err.code, `error code (message: ${err.message})`).to.equal(code);
      return { code: err.code, message: err.message, details: err.details ?? {}, status: err.httpStatus };
    }
    throw new Error(`expected a ${code} error, got ${err?.stack ?? String(err)}`);
  }
  // A response resolved without throwing (e.g. validateStatus: () => true): inspect it too.
  const res = value as any;
  const body = res?.data?.error;
  if (res && typeof res.status === "number" && res.status >= 400 && body) {
    expect(body.code, `error code (message: ${body.message})`).to.equal(code);
    return { code: body.code, message: body.message, details: body.details ?? {}, status: res.status };
  }
  throw new Error(`expected a ${code} error, but the promise resolved with ${JSON.stringify(res?.data ?? res)?.slice(0, 500)}`);
}
