/**
 * The app's plugins declare what they need: registered without it, fastify refuses to start and names
 * the missing plugin; registered in order, they serve requests on a real store.
 */

import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import Fastify, { FastifyInstance } from "fastify";
import { createAccountInStore } from "../../../controlplane/accounts";
import { systemClock } from "../../../controlplane/clock";
import { registerErrorHandling } from "../../../controlplane/http/errors";
import { authPlugin } from "../../../controlplane/http/plugins/auth";
import { storePlugin } from "../../../controlplane/http/plugins/store";
import { useCasesPlugin } from "../../../controlplane/http/plugins/usecases";
import { vpcRoutes } from "../../../controlplane/http/routes/vpcs";
import { SqliteStore } from "../../../controlplane/store/sqlite";

async function readyError(app: FastifyInstance): Promise<Error> {
  let failed: unknown;
  try {
    await app.ready();
  } catch (e) {
    failed = e;
  }
  await app.close().catch(() => undefined);
  expect(failed, "the app must refuse to start").to.be.instanceOf(Error);
  return failed as Error;
}

describe("control plane: plugins and their dependencies", function () {
  let dir: string;
  let store: SqliteStore;

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-plugins-"));
    store = new SqliteStore(dir);
  });

  after(async function () {
    await store?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("refuses the use-cases plugin without the store plugin", async function () {
    const app = Fastify();
    app.register(useCasesPlugin, { clock: systemClock });
    expect((await readyError(app)).message).to.match(/peerlink-store/);
  });

  it("refuses the auth plugin without the store plugin", async function () {
    const app = Fastify();
    app.register(authPlugin);
    expect((await readyError(app)).message).to.match(/peerlink-store/);
  });

  it("refuses routes without the auth plugin", async function () {
    const app = Fastify();
    app.register(storePlugin, { store });
    app.register(useCasesPlugin, { clock: systemClock });
    app.register(vpcRoutes);
    expect((await readyError(app)).message).to.match(/peerlink-auth/);
  });

  it("serves the routes behind auth once store, use-cases and auth are registered", async function () {
    const app = Fastify();
    registerErrorHandling(app);
    await app.register(storePlugin, { store });
    await app.register(useCasesPlugin, { clock: systemClock });
    await app.register(authPlugin);
    await app.register(vpcRoutes);
    try {
      const anonymous = await app.inject({ method: "GET", url: "/v1/vpcs" });
      expect(anonymous.statusCode).to.equal(401);
      expect(anonymous.json().error.code).to.equal("Unauthorized");
      const acc = await createAccountInStore(store, "plugins");
      const res = await app.inject({ method: "GET", url: "/v1/vpcs", headers: { authorization: `Bearer ${acc.apiKey}` } });
      expect(res.statusCode).to.equal(200);
      expect(res.json()).to.deep.equal({ vpcs: [] });
    } finally {
      await app.close();
    }
  });
});
