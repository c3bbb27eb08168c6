import * as http from "node:http";
import type { AddressInfo } from "node:net";
import axios from "axios";
import { AssertionError, expect } from "chai";
import { PeerlinkApiError } from "../../contract";
import { InvalidStateError, PeerlinkError } from "../../domain";
import { shouldReject } from "./assert";

/** Runs an assertion that must fail, and returns its error so the test can check it is a clear AssertionError. */
async function failureOf(check: Promise<unknown>): Promise<Error> {
  try {
    await check;
  } catch (e) {
    return e as Error;
  }
  throw new Error("the check passed, but it should have failed");
}

describe("test kit: shouldReject", () => {
  let server: http.Server;
  let url: string;
  before(async () => {
    // Answers every request with a 422 CidrOverlap body, like the control plane does.
    server = http.createServer((_req, res) => {
      res.writeHead(422, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "CidrOverlap", message: "10.0.0.0/16 overlaps 10.0.0.0/17", details: { field: "cidrBlock" } } }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("fails with an AssertionError, not a TypeError, when the promise resolves", async () => {
    const e = await failureOf(shouldReject(Promise.resolve({ vpcId: "vpc-1" }), "NotFound"));
    expect(e).to.be.instanceOf(AssertionError);
    expect(e.message).to.contain("expected a NotFound error, but it succeeded with").and.contain("vpc-1");
  });

  it("fails with an AssertionError naming both codes on the wrong code", async () => {
    const e = await failureOf(shouldReject(Promise.reject(new InvalidStateError("state is Activated")), "NotFound"));
    expect(e).to.be.instanceOf(AssertionError);
    expect(e.message).to.contain("InvalidState").and.contain("NotFound");
  });

  it("opens every failure message with the reason given", async () => {
    const e = await failureOf(shouldReject(Promise.resolve(1), "NotFound", "the replica is gone"));
    expect(e).to.be.instanceOf(AssertionError);
    expect(e.message).to.match(/^the replica is gone: expected a NotFound error/);
  });

  it("fails with an AssertionError on an error without a code", async () => {
    const e = await failureOf(shouldReject(Promise.reject(new TypeError("x is undefined")), "NotFound"));
    expect(e).to.be.instanceOf(AssertionError);
    expect(e.message).to.contain("without a code").and.contain("x is undefined");
  });

  it("reads the domain's PeerlinkError, thrown synchronously by a function", async () => {
    const r = await shouldReject(() => {
      throw new PeerlinkError("QuotaExceeded", "too many", { limit: 2 });
    }, "QuotaExceeded");
    expect(r).to.include({ code: "QuotaExceeded", message: "too many", status: 422 });
    expect(r.details).to.deep.equal({ limit: 2 });
    expect(r.error).to.be.instanceOf(PeerlinkError);
  });

  it("reads the provider's PeerlinkApiError, with and without an HTTP status", async () => {
    const served = await shouldReject(Promise.reject(new PeerlinkApiError("creating Vpc (a)", "CidrOverlap", "overlaps", { httpStatus: 422 })), "CidrOverlap");
    expect(served.status).to.equal(422);
    expect(served.message).to.equal("creating Vpc (a): CidrOverlap: overlaps");
    const network = await shouldReject(Promise.reject(new PeerlinkApiError("reading account", "NetworkError", "ECONNREFUSED")), "NetworkError");
    expect(network.status).to.equal(undefined);
    expect(network.message).to.contain("ECONNREFUSED");
  });

  it("reads an axios error's body, and a resolved response with validateStatus", async () => {
    const thrown = await shouldReject(axios.post(`${url}/v1/vpcs`, {}), "CidrOverlap");
    expect(thrown).to.include({ status: 422, message: "10.0.0.0/16 overlaps 10.0.0.0/17" });
    expect(thrown.details).to.deep.equal({ field: "cidrBlock" });
    const resolved = await shouldReject(axios.post(`${url}/v1/vpcs`, {}, { validateStatus: () => true }), "CidrOverlap");
    expect(resolved.status).to.equal(422);
    const wrong = await failureOf(shouldReject(axios.post(`${url}/v1/vpcs`, {}, { validateStatus: () => true }), "NotFound"));
    expect(wrong).to.be.instanceOf(AssertionError);
    expect(wrong.message).to.contain("status 422");
  });
});
