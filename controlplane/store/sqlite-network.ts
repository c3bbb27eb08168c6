// Issue 11: route tables and subnets in the SQLite store (schema v8). Row mappers and parameters are
// shared with the PostgreSQL store (postgres/network.ts), as those of sqlite.ts are.
import Database from "better-sqlite3";
import type { RouteTableRecord, StoreTx, SubnetRecord } from "./store";

type Row = Record<string, unknown>;

/** Tables of schema v8 (IF NOT EXISTS: part of SCHEMA, so a fresh file and an upgraded one get them). */
export const NETWORK_SCHEMA = `
CREATE TABLE IF NOT EXISTS route_tables (
  route_table_id TEXT PRIMARY KEY, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL, is_main INTEGER NOT NULL,
  name TEXT NOT NULL, tags TEXT NOT NULL, owner_ref TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS route_tables_vpc ON route_tables(vpc_id);
CREATE TABLE IF NOT EXISTS subnets (
  subnet_id TEXT PRIMARY KEY, vpc_id TEXT NOT NULL, account_id TEXT NOT NULL, cidr_block TEXT NOT NULL,
  zone TEXT NOT NULL, name TEXT NOT NULL, tags TEXT NOT NULL, route_table_id TEXT NOT NULL REFERENCES route_tables(route_table_id),
  owner_ref TEXT, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS subnets_vpc ON subnets(vpc_id);
CREATE INDEX IF NOT EXISTS subnets_table ON subnets(route_table_id);
`;

/** v7 -> v8: every existing VPC's main table becomes a row of route_tables, under its old id. */
export const NETWORK_BACKFILL = `INSERT OR IGNORE INTO route_tables SELECT route_table_id, vpc_id, account_id, 1, '', '{}', NULL,
  created_at, updated_at FROM vpcs;`;

export const routeTableFrom = (r: Row): RouteTableRecord => ({
  routeTableId: r.route_table_id as string,
  vpcId: r.vpc_id as string,
  accountId: r.account_id as string,
  main: Number(r.is_main) === 1,
  name: r.name as string,
  tags: JSON.parse(r.tags as string),
  ownerRef: (r.owner_ref as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const routeTableParams = (t: RouteTableRecord) => ({
  route_table_id: t.routeTableId,
  vpc_id: t.vpcId,
  account_id: t.accountId,
  is_main: t.main ? 1 : 0,
  name: t.name,
  tags: JSON.stringify(t.tags),
  owner_ref: t.ownerRef,
  created_at: t.createdAt,
  updated_at: t.updatedAt,
});

export const subnetFrom = (r: Row): SubnetRecord => ({
  subnetId: r.subnet_id as string,
  vpcId: r.vpc_id as string,
  accountId: r.account_id as string,
  cidrBlock: r.cidr_block as string,
  zone: r.zone as string,
  name: r.name as string,
  tags: JSON.parse(r.tags as string),
  routeTableId: r.route_table_id as string,
  ownerRef: (r.owner_ref as string | null) ?? null,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export const subnetParams = (s: SubnetRecord) => ({
  subnet_id: s.subnetId,
  vpc_id: s.vpcId,
  account_id: s.accountId,
  cidr_block: s.cidrBlock,
  zone: s.zone,
  name: s.name,
  tags: JSON.stringify(s.tags),
  route_table_id: s.routeTableId,
  owner_ref: s.ownerRef,
  created_at: s.createdAt,
  updated_at: s.updatedAt,
});

export type NetworkTx = Pick<
  StoreTx,
  | "insertRouteTable"
  | "getRouteTable"
  | "listRouteTables"
  | "updateRouteTable"
  | "deleteRouteTable"
  | "insertSubnet"
  | "getSubnet"
  | "listSubnets"
  | "listSubnetsForTable"
  | "updateSubnet"
  | "deleteSubnet"
>;

export function sqliteNetworkTx(db: Database.Database): NetworkTx {
  const q = (sql: string) => db.prepare(sql);
  const st = {
    insertRouteTable: q(`INSERT INTO route_tables VALUES (@route_table_id, @vpc_id, @account_id, @is_main, @name, @tags,
      @owner_ref, @created_at, @updated_at)`),
    getRouteTable: q(`SELECT * FROM route_tables WHERE route_table_id = ?`),
    listRouteTables: q(`SELECT * FROM route_tables WHERE vpc_id = ? ORDER BY is_main DESC, created_at, route_table_id`),
    updateRouteTable: q(`UPDATE route_tables SET name = @name, tags = @tags, updated_at = @updated_at WHERE route_table_id = @route_table_id`),
    deleteTableRoutes: q(`DELETE FROM routes WHERE route_table_id = ?`),
    deleteRouteTable: q(`DELETE FROM route_tables WHERE route_table_id = ?`),
    insertSubnet: q(`INSERT INTO subnets VALUES (@subnet_id, @vpc_id, @account_id, @cidr_block, @zone, @name, @tags,
      @route_table_id, @owner_ref, @created_at, @updated_at)`),
    getSubnet: q(`SELECT * FROM subnets WHERE subnet_id = ?`),
    listSubnets: q(`SELECT * FROM subnets WHERE vpc_id = ? ORDER BY created_at, subnet_id`),
    listSubnetsForTable: q(`SELECT * FROM subnets WHERE route_table_id = ? ORDER BY created_at, subnet_id`),
    updateSubnet: q(`UPDATE subnets SET name = @name, tags = @tags, route_table_id = @route_table_id, updated_at = @updated_at
      WHERE subnet_id = @subnet_id`),
    deleteSubnet: q(`DELETE FROM subnets WHERE subnet_id = ?`),
  };
  const one = <T>(stmt: Database.Statement, map: (r: Row) => T, id: string) => {
    const r = stmt.get(id) as Row | undefined;
    return r ? map(r) : undefined;
  };
  return {
    insertRouteTable: async (t) => void st.insertRouteTable.run(routeTableParams(t)),
    getRouteTable: async (id) => one(st.getRouteTable, routeTableFrom, id),
    listRouteTables: async (vpcId) => (st.listRouteTables.all(vpcId) as Row[]).map(routeTableFrom),
    updateRouteTable: async (t) => void st.updateRouteTable.run(routeTableParams(t)),
    deleteRouteTable: async (id) => {
      st.deleteTableRoutes.run(id);
      st.deleteRouteTable.run(id);
    },
    insertSubnet: async (s) => void st.insertSubnet.run(subnetParams(s)),
    getSubnet: async (id) => one(st.getSubnet, subnetFrom, id),
    listSubnets: async (vpcId) => (st.listSubnets.all(vpcId) as Row[]).map(subnetFrom),
    listSubnetsForTable: async (id) => (st.listSubnetsForTable.all(id) as Row[]).map(subnetFrom),
    updateSubnet: async (s) => void st.updateSubnet.run(subnetParams(s)),
    deleteSubnet: async (id) => void st.deleteSubnet.run(id),
  };
}
