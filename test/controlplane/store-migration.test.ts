import { expect } from "chai";
import Database from "better-sqlite3";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SqliteStore } from "../../controlplane/store/sqlite";

describe("SQLite data files of an older version", () => {
  it("migrates a version-5 file in place: routes keep their data and gain an ownerRef", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "peerlink-migrate-"));
    try {
      const fresh = new SqliteStore(dir);
      await fresh.transaction(async (tx) => {
        await tx.insertAccount({ accountId: "acc-1", name: "a", keyHash: "h", createdAt: 1 });
        await tx.insertVpc({ vpcId: "vpc-1", accountId: "acc-1", region: "ap-guangzhou", cidrBlock: "10.0.0.0/16", name: "", tags: {}, routeTableId: "rtb-1", allowedPeerAccountIds: [], createdAt: 1, updatedAt: 1 });
        await tx.insertRoute({ routeId: "rt-1", routeTableId: "rtb-1", vpcId: "vpc-1", accountId: "acc-1", destinationCidrBlock: "10.0.0.0/16", nextHopType: "Local", peeringId: null, description: "local", createdAt: 1, updatedAt: 1 });
      });
      await fresh.close();
      // Turn it into what version 5 wrote: no owner_ref on routes.
      const file = fs.readdirSync(dir).find((f) => f.endsWith(".db") || f.endsWith(".sqlite"))!;
      const raw = new Database(path.join(dir, file));
      raw.exec("ALTER TABLE routes DROP COLUMN owner_ref");
      raw.pragma("user_version = 5");
      raw.close();

      const migrated = new SqliteStore(dir);
      const routes = await migrated.transaction((tx) => tx.listRoutes("rtb-1"));
      expect(routes).to.have.length(1);
      expect(routes[0]).to.include({ routeId: "rt-1", description: "local", ownerRef: null });
      await migrated.transaction((tx) =>
        tx.insertRoute({ routeId: "rt-2", routeTableId: "rtb-1", vpcId: "vpc-1", accountId: "acc-1", destinationCidrBlock: "10.1.0.0/16", nextHopType: "Peering", peeringId: "pcx-1", description: "", ownerRef: "p/s/RouteEntry/r", createdAt: 2, updatedAt: 2 }),
      );
      expect((await migrated.transaction((tx) => tx.getRoute("rt-2")))!.ownerRef).to.equal("p/s/RouteEntry/r");
      await migrated.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
