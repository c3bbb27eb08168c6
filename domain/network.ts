// The rules of a VPC's inside: its subnets and route tables (seed 004: a route lives in the route table
// associated with a subnet). The rule book (rulebook.ts) exposes them as checkXxx functions, which the
// server evaluates at write time and the preview over the projected world. Pure: no I/O.

import { describeBorderRouter } from "./border-routers";
import { cidrContains, findOverlaps, Ipv4Cidr, parseCidr } from "./cidr";
import { Findings, isPeerlinkError, Violation } from "./errors";
import { Quotas } from "./quotas";
import { describeVpc, known, vpcByKey, World, WorldBorderRouter, WorldRoute, WorldRouteTable, WorldSubnet } from "./world";

/** A subnet is at most a /16 and at least a /28 (and never larger than its VPC). */
export const SUBNET_MIN_PREFIX = 16;
export const SUBNET_MAX_PREFIX = 28;

export type { Findings } from "./errors";

export function describeSubnet(s: WorldSubnet): string {
  if (s.label && s.subnetId) return `${s.label} (${s.subnetId})`;
  return s.label ?? s.subnetId ?? s.key;
}

export function describeTable(t: WorldRouteTable | undefined, fallback: string): string {
  if (!t) return fallback;
  if (t.label && t.routeTableId) return `${t.label} (${t.routeTableId})`;
  return t.label ?? (t.routeTableId ? `route table ${t.routeTableId}` : t.key);
}

export function subnetsOf(w: World, vpcKey: string, exceptKey?: string): WorldSubnet[] {
  return (w.subnets ?? []).filter((s) => s.key !== exceptKey && s.vpcKey === vpcKey);
}

export function tablesOf(w: World, vpcKey: string, exceptKey?: string): WorldRouteTable[] {
  return (w.routeTables ?? []).filter((t) => t.key !== exceptKey && t.vpcKey === vpcKey);
}

/** The key a table goes by in rules: the main table of a VPC is `main:<vpcKey>` whichever id names it. */
export function tableIdentity(w: World, vpcKey: string, tableKey: string | undefined): string {
  const vpc = vpcByKey(w, vpcKey);
  const main = (w.routeTables ?? []).find((t) => t.vpcKey === vpcKey && t.main);
  if (tableKey === undefined || tableKey === vpc?.mainRouteTableId || tableKey === main?.key) return `main:${vpcKey}`;
  return tableKey;
}

/** Two routes of one VPC are in the same table. */
export function sameTable(w: World, a: WorldRoute, b: WorldRoute): boolean {
  return a.tableKey === b.tableKey && tableIdentity(w, a.tableKey, a.routeTableKey) === tableIdentity(w, b.tableKey, b.routeTableKey);
}

/** Parses a subnet's CIDR and checks its form and size; never throws. */
export function subnetCidrViolations(text: unknown, field = "cidrBlock"): { cidr?: Ipv4Cidr; violations: Violation[] } {
  let cidr: Ipv4Cidr;
  try {
    cidr = parseCidr(text, field);
  } catch (e) {
    if (!isPeerlinkError(e)) throw e;
    return { violations: [{ code: "ValidationError", field, message: e.message, details: e.details }] };
  }
  if (cidr.prefix < SUBNET_MIN_PREFIX || cidr.prefix > SUBNET_MAX_PREFIX) {
    const message = `"${field}" value ${cidr.text} has prefix /${cidr.prefix}; a subnet CIDR must be between /${SUBNET_MIN_PREFIX} and /${SUBNET_MAX_PREFIX}`;
    return {
      violations: [{ code: "ValidationError", field, message, details: { value: cidr.text, minPrefix: SUBNET_MIN_PREFIX, maxPrefix: SUBNET_MAX_PREFIX } }],
    };
  }
  return { cidr, violations: [] };
}

export type SubnetCheckOptions = {
  /** "subnet.associate": only the association rule (an in-place change of the route table) */
  associationOnly?: boolean;
};

/**
 * Creating the subnet `subnetKey` (or changing it in place): its block lies inside its VPC, overlaps no
 * other subnet of the VPC, fits the subnets-per-VPC quota, and its route table is one of its VPC's.
 */
export function subnetFindings(w: World, subnetKey: string, quotas: Quotas, opts: SubnetCheckOptions = {}): Findings {
  const out: Findings = { violations: [], deferred: [] };
  const s = (w.subnets ?? []).find((x) => x.key === subnetKey);
  if (!s) return out;
  const subject = describeSubnet(s);
  const vpc = vpcByKey(w, s.vpcKey);
  const vpcName = describeVpc(vpc, s.vpcKey);
  out.violations.push(...associationViolations(w, s, subject, vpcName));
  if (opts.associationOnly) return out;
  const text = known(s.cidr);
  if (text === undefined) {
    out.deferred.push({ subject, reason: `the CIDR of ${subject} is not known yet` });
    return out;
  }
  const { cidr, violations } = subnetCidrViolations(text);
  out.violations.push(...violations);
  const vpcCidr = known(vpc?.cidr);
  if (cidr && vpcCidr !== undefined && !cidrContains(vpcCidr, cidr)) {
    out.violations.push({
      code: "ValidationError",
      field: "cidrBlock",
      message: `${subject} block ${cidr.text} is not inside ${vpcName} (${vpcCidr}); choose a block inside ${vpcCidr}`,
      details: { cidrBlock: cidr.text, vpcCidrBlock: vpcCidr },
    });
  } else if (cidr && vpc && vpcCidr === undefined) {
    out.deferred.push({ subject, reason: `the CIDR of ${vpcName} is not known yet` });
  }
  const others = subnetsOf(w, s.vpcKey, subnetKey);
  if (cidr) {
    // Other subnets whose block is known and well-formed (a malformed one was refused when written).
    const parsed = others.flatMap((o) => {
      const c = subnetCidrViolations(known(o.cidr)).cidr;
      return c ? [{ key: o.key, cidr: c, s: o }] : [];
    });
    const hits = findOverlaps([{ key: subnetKey, cidr, s }, ...parsed])
      .filter(([a, b]) => a.key === subnetKey || b.key === subnetKey)
      .map(([a, b]) => (a.key === subnetKey ? b : a));
    if (hits.length > 0) {
      const named = hits.map((h) => `${describeSubnet(h.s)} (${h.cidr.text})`);
      out.violations.push({
        code: "CidrOverlap",
        field: "cidrBlock",
        message: `${subject} block ${cidr.text} overlaps ${named.join(", ")} in ${vpcName}; subnets of one VPC must not overlap: choose a free block`,
        details: { cidrBlock: cidr.text, overlaps: hits.map((h) => h.s.subnetId ?? h.key) },
      });
    }
  }
  const limit = quotas.subnetsPerVpc;
  if (others.length + 1 > limit) {
    out.violations.push({
      code: "QuotaExceeded",
      field: "vpcId",
      message: `${vpcName} already has ${others.length} subnets (limit ${limit}); delete one, use another VPC, or raise the quota`,
      details: { quota: "subnetsPerVpc", limit, used: others.length, scope: vpc?.vpcId ?? s.vpcKey },
    });
  }
  return out;
}

/** A border router whose table the key names: its stored table, its id, or a planned router's key. */
function routerOfTable(w: World, tableKey: string, table: WorldRouteTable | undefined): WorldBorderRouter | undefined {
  return (w.borderRouters ?? []).find((b) => b.key === (table?.vpcKey ?? tableKey) || (b.routeTableId !== undefined && b.routeTableId === tableKey));
}

function associationViolations(w: World, s: WorldSubnet, subject: string, vpcName: string): Violation[] {
  if (s.routeTableKey === undefined || s.routeTableKey.startsWith("unknown:")) return [];
  const vpc = vpcByKey(w, s.vpcKey);
  if (s.routeTableKey === vpc?.mainRouteTableId) return [];
  const table = (w.routeTables ?? []).find((t) => t.key === s.routeTableKey);
  // Another account's table is invisible to the subnet's owner: the server finds no such table.
  const subnetAccount = known(vpc?.accountId);
  const otherAccount = (accountId: string | undefined) => accountId !== undefined && subnetAccount !== undefined && accountId !== subnetAccount;
  const router = routerOfTable(w, s.routeTableKey, table);
  if (router && !otherAccount(known(router.accountId))) {
    const tableName = table?.routeTableId ?? router.routeTableId;
    return [
      {
        code: "ValidationError",
        field: "routeTableId",
        message: `${tableName ? `route table ${tableName}` : "the route table"} belongs to ${describeBorderRouter(router, router.key)}, not to ${vpcName}; a subnet must use a route table of its own VPC: set "routeTableId" of ${subject} to ${vpcName}'s main table or one of its RouteTables`,
        details: { routeTableId: tableName ?? s.routeTableKey, borderRouterId: router.borderRouterId ?? router.key },
      },
    ];
  }
  // The program names another Vpc's main table by that Vpc (its id is not known yet).
  const ownerVpc = table ? undefined : vpcByKey(w, s.routeTableKey);
  if (ownerVpc && !otherAccount(known(ownerVpc.accountId))) {
    if (ownerVpc.key === s.vpcKey) return [];
    return [
      {
        code: "ValidationError",
        field: "routeTableId",
        message: `the main route table of ${describeVpc(ownerVpc, ownerVpc.key)} belongs to that VPC, not to ${vpcName}; associate ${subject} with a route table of its own VPC`,
        details: { vpcId: ownerVpc.vpcId ?? ownerVpc.key },
      },
    ];
  }
  const tableAccount = table && known(vpcByKey(w, table.vpcKey)?.accountId);
  if (!table || router || ownerVpc || otherAccount(tableAccount)) {
    return [
      {
        code: "NotFound",
        field: "routeTableId",
        message:
          table || router || ownerVpc
            ? `${table ? describeTable(table, s.routeTableKey) : `route table ${s.routeTableKey}`} belongs to another account, so the account of ${subject} cannot find it; associate ${subject} with a route table of its own VPC`
            : `route table ${s.routeTableKey} of ${subject} does not exist; check "routeTableId"`,
        details: { routeTableId: s.routeTableKey },
      },
    ];
  }
  if (table.vpcKey === s.vpcKey) return [];
  const owner = describeVpc(vpcByKey(w, table.vpcKey), table.vpcKey);
  return [
    {
      code: "ValidationError",
      field: "routeTableId",
      message: `${describeTable(table, s.routeTableKey)} belongs to ${owner}, not to ${vpcName}; associate ${subject} with a route table of its own VPC`,
      details: { routeTableId: table.routeTableId ?? table.key },
    },
  ];
}

/** One more route table in a VPC: the route-tables-per-VPC quota, the main table included. */
export function routeTableCreateFindings(w: World, tableKey: string, quotas: Quotas): Findings {
  const out: Findings = { violations: [], deferred: [] };
  const t = (w.routeTables ?? []).find((x) => x.key === tableKey);
  if (!t) return out;
  const vpc = vpcByKey(w, t.vpcKey);
  const vpcName = describeVpc(vpc, t.vpcKey);
  const extra = tablesOf(w, t.vpcKey, tableKey).filter((x) => !x.main);
  const used = extra.length + 1; // the main table always exists
  const limit = quotas.routeTablesPerVpc;
  if (used + 1 > limit) {
    out.violations.push({
      code: "QuotaExceeded",
      field: "vpcId",
      message: `${vpcName} already has ${used} route tables, the main one included (limit ${limit}); delete one, use another VPC, or raise the quota`,
      details: { quota: "routeTablesPerVpc", limit, used, scope: vpc?.vpcId ?? t.vpcKey },
    });
  }
  return out;
}

/** A route table can go unless it is the main one or a subnet is associated with it. */
export function routeTableDeleteFindings(w: World, tableKey: string): Findings {
  const out: Findings = { violations: [], deferred: [] };
  const t = (w.routeTables ?? []).find((x) => x.key === tableKey);
  if (!t) return out;
  const name = describeTable(t, tableKey);
  if (t.main) {
    out.violations.push({
      code: "DependencyViolation",
      field: "routeTableId",
      message: `${name} is the main route table of ${describeVpc(vpcByKey(w, t.vpcKey), t.vpcKey)}; it goes with the VPC and cannot be deleted alone`,
      details: { routeTableId: t.routeTableId ?? tableKey, main: true },
    });
    return out;
  }
  const associated = subnetsOf(w, t.vpcKey).filter((s) => s.routeTableKey === tableKey);
  if (associated.length > 0) {
    out.violations.push({
      code: "DependencyViolation",
      field: "routeTableId",
      message: `${name} is associated with ${associated.map(describeSubnet).join(", ")}; associate them with another table or delete them first`,
      details: { routeTableId: t.routeTableId ?? tableKey, subnetIds: associated.map((s) => s.subnetId ?? s.key) },
    });
  }
  return out;
}

/** What inside a VPC keeps it from being deleted: its subnets and its extra route tables. */
export function vpcNetworkDependents(w: World, vpcKey: string): Violation[] {
  const name = describeVpc(vpcByKey(w, vpcKey), "the VPC");
  const out: Violation[] = [];
  const subnets = subnetsOf(w, vpcKey);
  if (subnets.length > 0) {
    out.push({
      code: "DependencyViolation",
      message: `${name} still has subnets ${subnets.map(describeSubnet).join(", ")}; delete them first`,
      details: { subnetIds: subnets.map((s) => s.subnetId ?? s.key) },
    });
  }
  const tables = tablesOf(w, vpcKey).filter((t) => !t.main);
  if (tables.length > 0) {
    out.push({
      code: "DependencyViolation",
      message: `${name} still has route tables ${tables.map((t) => describeTable(t, t.key)).join(", ")} besides its main one; delete them first`,
      details: { routeTableIds: tables.map((t) => t.routeTableId ?? t.key) },
    });
  }
  return out;
}
