import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { expect } from "chai";
import { configureFrom, resetConfiguration } from "../../provider/config";
import * as providers from "../../provider/providers";
import { installPackage } from "../e2e/harness";

const REPO = path.resolve(__dirname, "../../..");
const FAKE_KEY = "plk_" + "f".repeat(40);

/** A program directory with this package installed (copied, not linked) under node_modules. */
function installedCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-installed-"));
  fs.mkdirSync(path.join(dir, "program"));
  installPackage(dir);
  return dir;
}

/** What the SDK's dynamic.Resource does (dynamic/index.js serializeFunctionMaybeSecret). */
async function serialize(p: pulumi.dynamic.ResourceProvider): Promise<{ text: string; containsSecrets: boolean }> {
  const sf = await pulumi.runtime.serializeFunction(() => p, { allowSecrets: true });
  return { text: sf.text, containsSecrets: sf.containsSecrets };
}

describe("provider serialization (__provider)", () => {
  before(() => {
    // Secrets present in the process must not leak into the text.
    process.env.PEERLINK_API_KEY_FOR_TEST = FAKE_KEY;
    configureFrom({ get: (k) => (k === "peerlink:apiKey" ? FAKE_KEY : k === "peerlink:endpoint" ? "http://127.0.0.1:9" : undefined) });
  });
  after(() => {
    delete process.env.PEERLINK_API_KEY_FOR_TEST;
    resetConfiguration();
  });

  it("is one provider for every resource type", () => {
    for (const p of Object.values(providers.PROVIDERS)) expect(p).to.equal(providers.dynamicProvider);
  });

  it("finds each type's implementation module by the naming convention", () => {
    // dynamic-provider.ts derives the module from the kind in the ownerRef; IMPL_MODULES names them.
    for (const [kind, impl] of Object.entries(providers.IMPL_MODULES)) {
      const file = kind.replace(/[A-Z]/g, (c, i) => (i === 0 ? "" : "-") + c.toLowerCase());
      expect(impl).to.equal(`peerlink/dist/provider/impl/${file}.js`);
      expect(fs.existsSync(path.join(REPO, impl.replace(/^peerlink\//, "")))).to.equal(true);
    }
  });

  it("serializes by value (a linked package) to small text with no key, no path and no secret", async () => {
    const { text, containsSecrets } = await serialize(providers.dynamicProvider);
    expect(containsSecrets).to.equal(false);
    expect(text).not.to.contain(FAKE_KEY);
    expect(text).not.to.contain("plk_");
    expect(text).not.to.contain(REPO);
    expect(text).not.to.contain(path.dirname(REPO));
    expect(text).not.to.match(/["'`]\/(home|root|tmp|usr|var|opt|Users)\//);
    expect(text).not.to.contain("\r");
    expect(text).to.contain("peerlink/dist/provider/impl/");
    expect(text.length).to.be.below(3000);
  });

  it("is byte-identical across calls", async () => {
    const a = await serialize(providers.dynamicProvider);
    const b = await serialize(providers.dynamicProvider);
    expect(a.text).to.equal(b.text);
  });

  it("serializes as a require of the package when it is installed under node_modules", function () {
    this.timeout(60_000);
    const dir = installedCopy();
    try {
      const script = `
        const pulumi = require("@pulumi/pulumi");
        // As dynamic.Resource does: a closure returning the provider object.
        const provider = require("peerlink/dist/provider/providers.js").PROVIDERS.Vpc;
        pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((sf) => console.log(JSON.stringify(sf.text)));`;
      const out = execFileSync(process.execPath, ["-e", script], { cwd: path.join(dir, "program"), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const text: string = JSON.parse(out.trim().split("\n").pop()!);
      expect(text).to.contain('require("peerlink/dist/provider/dynamic-provider.js")');
      expect(text).not.to.contain(dir);
      expect(text.length).to.be.below(500);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("loads the implementation by package name from the program directory at call time", function () {
    this.timeout(60_000);
    // A program directory whose node_modules/peerlink points at this package, like `npm i peerlink` would.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-program-"));
    try {
      fs.mkdirSync(path.join(dir, "node_modules"));
      fs.symlinkSync(REPO, path.join(dir, "node_modules", "peerlink"), "dir");
      const script = `
        const requireFromString = require(${JSON.stringify(require.resolve("require-from-string"))});
        const pulumi = require(${JSON.stringify(require.resolve("@pulumi/pulumi"))});
        const providers = require(${JSON.stringify(path.join(REPO, "dist/provider/providers.js"))});
        (async () => {
          const sf = await pulumi.runtime.serializeFunction(() => providers.dynamicProvider, { allowSecrets: true });
          // As the dynamic-provider process does: requireFromString(text).handler().
          const p = requireFromString(sf.text).handler();
          await p.configure({ config: { get: () => undefined } });
          const r = await p.check({}, { region: "ap-guangzhou", cidrBlock: "10.0.0.1/16", ownerRef: "p/s/Vpc/app" });
          console.log(JSON.stringify(r.failures));
        })().catch((e) => { console.error(e); process.exit(1); });`;
      const out = execFileSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
      const failures = JSON.parse(out.trim().split("\n").pop()!);
      expect(failures[0].reason).to.contain("use 10.0.0.0/16");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
