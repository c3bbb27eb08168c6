// Issue 11: route tables and subnets in the PostgreSQL store (migration 8). The same columns and row
// mappers as the SQLite store (sqlite-network.ts).
import { PoolClient } from "pg";
import { NetworkTx, routeTableFrom, routeTableParams, subnetFrom, subnetParams } from "../sqlite-network";

type Row = Record<string, unknown>;

const SQL = {
  insertRouteTable: `INSERT INTO route_tables VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
  getRouteTable: `SELECT * FROM route_tables WHERE route_table_id = $1`,
  listRouteTables: `SELECT * FROM route_tables WHERE vpc_id = $1 ORDER BY is_main DESC, created_at, route_table_id`,
  updateRouteTable: `UPDATE route_tables SET name = $2, tags = $3, updated_at = $4 WHERE route_table_id = $1`,
  deleteTableRoutes: `DELETE FROM routes WHERE route_table_id = $1`,
  deleteRouteTable: `DELETE FROM route_tables WHERE route_table_id = $1`,
  insertSubnet: `INSERT INTO subnets VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
  getSubnet: `SELECT * FROM subnets WHERE subnet_id = $1`,
  listSubnets: `SELECT * FROM subnets WHERE vpc_id = $1 ORDER BY created_at, subnet_id`,
  listSubnetsForTable: `SELECT * FROM subnets WHERE route_table_id = $1 ORDER BY created_at, subnet_id`,
  updateSubnet: `UPDATE subnets SET name = $2, tags = $3, route_table_id = $4, updated_at = $5 WHERE subnet_id = $1`,
  deleteSubnet: `DELETE FROM subnets WHERE subnet_id = $1`,
} as const;

export function pgNetworkTx(client: PoolClient): NetworkTx {
  const query = (sql: keyof typeof SQL, values: unknown[]) => client.query({ name: `network.${sql}`, text: SQL[sql], values });
  const rows = async (sql: keyof typeof SQL, values: unknown[]) => (await query(sql, values)).rows as Row[];
  const run = async (sql: keyof typeof SQL, values: unknown[]) => void (await query(sql, values));
  return {
    insertRouteTable: (t) => run("insertRouteTable", Object.values(routeTableParams(t))),
    getRouteTable: async (id) => (await rows("getRouteTable", [id])).map(routeTableFrom)[0],
    listRouteTables: async (vpcId) => (await rows("listRouteTables", [vpcId])).map(routeTableFrom),
    updateRouteTable: (t) => run("updateRouteTable", [t.routeTableId, t.name, JSON.stringify(t.tags), t.updatedAt]),
    deleteRouteTable: async (id) => {
      await run("deleteTableRoutes", [id]);
      await run("deleteRouteTable", [id]);
    },
    insertSubnet: (s) => run("insertSubnet", Object.values(subnetParams(s))),
    getSubnet: async (id) => (await rows("getSubnet", [id])).map(subnetFrom)[0],
    listSubnets: async (vpcId) => (await rows("listSubnets", [vpcId])).map(subnetFrom),
    listSubnetsForTable: async (id) => (await rows("listSubnetsForTable", [id])).map(subnetFrom),
    updateSubnet: (s) => run("updateSubnet", [s.subnetId, s.name, JSON.stringify(s.tags), s.routeTableId, s.updatedAt]),
    deleteSubnet: (id) => run("deleteSubnet", [id]),
  };
}
