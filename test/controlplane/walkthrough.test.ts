// The README's curl and CLI walkthrough, run exactly as a user would run it.

import { execFile } from "node:child_process";
import * as net from "node:net";
import * as path from "node:path";
import { expect } from "chai";

const REPO_ROOT = path.resolve(__dirname, "..", "..", "..");

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

describe("README walkthrough (examples/control-plane/walkthrough.sh)", () => {
  it("drives a cross-account peering through accept, routes and delete with the CLI and curl", async () => {
    const port = await freePort();
    const output = await new Promise<string>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
      delete env.PEERLINK_ENDPOINT;
      delete env.PEERLINK_API_KEY;
      execFile("bash", ["examples/control-plane/walkthrough.sh"], { cwd: REPO_ROOT, env, timeout: 120000 }, (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stdout}\n${stderr}`)) : resolve(stdout),
      );
    });
    expect(output).to.contain("alice sees: Connecting");
    expect(output).to.match(/acceptor\s+Accepting/);
    expect(output).to.contain("after accept: Activated");
    expect(output.match(/^rt-[0-9a-f]{12}$/gm), "one route on each side").to.have.length(2);
    expect(output).to.contain("refused: NonTransitiveRoute");
    expect(output).to.match(/^Deleted$/m);
    expect(output).to.contain("alice's routes left: Local");
  });
});
