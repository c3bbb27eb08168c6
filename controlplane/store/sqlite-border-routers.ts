// Issue 11: border routers (VBRs) in the SQLite store (schema v10). Row mappers and parameters are shared
// with the PostgreSQL store (postgres/border-routers.ts). A router's route table is a row of route_tables
// (vpc_id = the router's id, is_main = 1) and its routes are rows of routes, like a VPC's.
import Database from "better-sqlite3";
import type { BorderRouterRecord, StoreTx } from "./store";

type Row = Record<string, unknown>;

/** Part of SCHEMA (IF NOT EXISTS), so a fresh file and an upgraded one get it. The VLAN is unique per account and region. */
export const BORDER_ROUTER_SCHEMA = `
CREATE TABLE IF NOT EXISTS border_routers (
  border_router_id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(account_id), region TEXT NOT NULL,
  name TEXT NOT NULL, tags TEXT NOT NULL, vlan_id INTEGER NOT NULL, interconnect_cidr TEXT NOT NULL,
  local_gateway_ip TEXT NOT NULL, peer_gateway_ip TEXT NOT NULL, on_prem_cidrs TEXT NOT NULL,
  route_table_id TEXT NOT NULL UNIQUE, allowed_peers TEXT NOT NULL, owner_ref TEXT,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, UNIQUE (account_id, region, vlan_id));
CREATE INDEX IF NOT EXISTS border_routers_account ON border_routers(account_id, region);
`;

/** v9 -> v10: which kind of resource each peering end is (every existing end is a VPC). */
export const BORDER_ROUTER_MIGRATION_SQLITE = `ALTER TABLE peerings ADD COLUMN req_kind TEXT NOT NULL DEFAULT 'vpc';
ALTER TABLE peerings ADD COLUMN acc_kind TEXT NOT NULL DEFAULT 'vpc';`;

export const borderRouterFrom = (r: Row): BorderRouterRecord => ({
  borderRouterId: r.border_router_id as string,
  accountId: r.account_id as string,
  region: r.region as string,
  name: r.name as string,
  tags: JSON.parse(r.tags as string),
  vlanId: Number(r.vlan_id),
  interconnectCidrBlock: r.interconnect_cidr as string,
  localGatewayIp: r.local_gateway_ip as string,
  peerGatewayIp: r.peer_gateway_ip as string,
  onPremisesCidrBlocks: JSON.parse(r.on_prem_cidrs as string),
  routeTableId: r.route_table_id as string,
  allowedPeerAccountIds: JSON.parse(r.allowed_peers as string),
  ownerRef: (r.owner_ref as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** In column order. */
export const borderRouterParams = (b: BorderRouterRecord) => ({
  border_router_id: b.borderRouterId,
  account_id: b.accountId,
  region: b.region,
  name: b.name,
  tags: JSON.stringify(b.tags),
  vlan_id: b.vlanId,
  interconnect_cidr: b.interconnectCidrBlock,
  local_gateway_ip: b.localGatewayIp,
  peer_gateway_ip: b.peerGatewayIp,
  on_prem_cidrs: JSON.stringify(b.onPremisesCidrBlocks),
  route_table_id: b.routeTableId,
  allowed_peers: JSON.stringify(b.allowedPeerAccountIds),
  owner_ref: b.ownerRef,
  created_at: b.createdAt,
  updated_at: b.updatedAt,
});

export type BorderRouterTx = Pick<StoreTx, "insertBorderRouter" | "getBorderRouter" | "listBorderRouters" | "updateBorderRouter" | "deleteBorderRouter">;

export function sqliteBorderRouterTx(db: Database.Database): BorderRouterTx {
  const q = (sql: string) => db.prepare(sql);
  const st = {
    insert: q(`INSERT INTO border_routers VALUES (@border_router_id, @account_id, @region, @name, @tags, @vlan_id,
      @interconnect_cidr, @local_gateway_ip, @peer_gateway_ip, @on_prem_cidrs, @route_table_id, @allowed_peers, @owner_ref,
      @created_at, @updated_at)`),
    get: q(`SELECT * FROM border_routers WHERE border_router_id = ?`),
    list: q(`SELECT * FROM border_routers WHERE account_id = ? ORDER BY created_at, border_router_id`),
    listInRegion: q(`SELECT * FROM border_routers WHERE account_id = ? AND region = ? ORDER BY created_at, border_router_id`),
    update: q(`UPDATE border_routers SET name = @name, tags = @tags, allowed_peers = @allowed_peers, updated_at = @updated_at
      WHERE border_router_id = @border_router_id`),
    deleteRoutes: q(`DELETE FROM routes WHERE vpc_id = ?`),
    deleteTables: q(`DELETE FROM route_tables WHERE vpc_id = ?`),
    delete: q(`DELETE FROM border_routers WHERE border_router_id = ?`),
  };
  return {
    insertBorderRouter: async (b) => void st.insert.run(borderRouterParams(b)),
    getBorderRouter: async (id) => {
      const r = st.get.get(id) as Row | undefined;
      return r ? borderRouterFrom(r) : undefined;
    },
    listBorderRouters: async (accountId, region) =>
      ((region === undefined ? st.list.all(accountId) : st.listInRegion.all(accountId, region)) as Row[]).map(borderRouterFrom),
    updateBorderRouter: async (b) => void st.update.run(borderRouterParams(b)),
    deleteBorderRouter: async (id) => {
      st.deleteRoutes.run(id);
      st.deleteTables.run(id);
      st.delete.run(id);
    },
  };
}
