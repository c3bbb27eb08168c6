import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { expect } from "chai";
import { parseFaults } from "../../../controlplane/http/faults";
import { startServer } from "../../../controlplane/server";
import { apiClient, bootServer, expectStatus, newActor, ServerHandle } from "../../helpers/api";

describe("control plane: fault mode (--faults)", function () {
  let server: ServerHandle | undefined;
  after(async () => server?.close());

  it("parses 503=0.1,latency=50ms and refuses anything else, saying the form", function () {
    expect(parseFaults("503=0.1,latency=50ms")).to.deep.equal({ unavailable: 0.1, latencyMs: 50 });
    expect(parseFaults("latency=5")).to.deep.equal({ unavailable: 0, latencyMs: 5 });
    for (const bad of ["503=2", "500=0.1", "latency=fast", "503"]) {
      expect(() => parseFaults(bad), bad).to.throw(/503=<share 0\.\.1>/);
    }
  });

  it("is refused unless the server runs in test mode (--test-clock)", async function () {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-faults-"));
    let error: Error | undefined;
    try {
      const s = await startServer({ port: 0, dataDir, logLevel: "silent", faults: { unavailable: 1, latencyMs: 0 } });
      await s.close();
    } catch (e) {
      error = e as Error;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    expect(error?.message).to.contain("--test-clock");
  });

  it("answers 503 ServiceUnavailable in the standard shape before doing anything, and keeps /healthz truthful", async function () {
    server = await bootServer({ faults: "503=1" });
    const a = await newActor(server, "a");
    const res = await a.api.post("/v1/vpcs", { region: "ap-shanghai", cidrBlock: "10.9.0.0/16" });
    expect(res.status).to.equal(503);
    expect(res.data.error.code).to.equal("ServiceUnavailable");
    expect(res.headers["retry-after"]).to.equal("0");
    expectStatus(await apiClient(server.url).get("/healthz"), 200);
  });
});
