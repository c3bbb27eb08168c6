/**
 * The store conformance suite: the control-plane suites that touch the store run a second time, on
 * PostgreSQL (a throw-away cluster, one database per server). Their SQLite runs stay where they are.
 * With PEERLINK_TEST_STORE=postgres the whole suite already runs on PostgreSQL, so this adds nothing.
 */
import * as path from "node:path";
import { setTestStore, testStore } from "../helpers/server";

// dist/test/store -> dist/test/controlplane
const SUITES = [
  "http/audit",
  "http/authorization",
  "http/bad-input",
  "http/cli",
  "http/authorization-border-routers",
  "http/border-peerings",
  "http/border-routers",
  "http/console-sessions",
  "http/concurrency",
  "http/crash",
  "http/idempotency",
  "http/keys",
  "http/oracle",
  "http/peer-listing",
  "http/peering-connections",
  "http/quota-ownership",
  "http/quotas",
  "http/route-tables",
  "http/routes",
  "http/state-machine",
  "http/subnets",
  "http/traffic",
  "http/traffic-simulation",
  "http/traffic-cli",
  "http/validate",
  "http/vpcs",
].map((s) => path.resolve(__dirname, "../controlplane", `${s}.test.js`));

if (testStore() === "sqlite") {
  describe("store conformance: the same suites on PostgreSQL", function () {
    before(() => setTestStore("postgres"));
    after(() => setTestStore("sqlite"));
    // Loading a suite file again registers its describe blocks again, here, under this block.
    for (const file of SUITES) {
      delete require.cache[require.resolve(file)];
      require(file);
    }
  });
}
