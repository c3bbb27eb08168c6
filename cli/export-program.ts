// `peerlink export-program`: the brownfield path. Writes a Pulumi TypeScript program that declares what an
// account already has (VPCs, border routers, route tables, subnets, peerings it requested, peerings it
// accepted, routes),
// each adopting its resource by id (`importId`), with references between them as object references. Its
// first `pulumi up` changes nothing on the control plane; the preview after it is clean.
// Pure: it turns what GET /v1/world answers into file texts; cli/index.ts reads and writes.
import type { World as ApiWorld, BorderRouter, Peering, Route, RouteTableSummary, Subnet, Vpc } from "../contract/types";
import { LIVE_STATES } from "../domain";

export interface ExportOptions {
  /** only VPCs of this region (and what hangs on them) */
  region?: string;
  /** the Pulumi project name */
  project?: string;
  /** the versions the program's package.json pins */
  peerlinkVersion: string;
  pulumiVersion: string;
}

export interface ExportedProgram {
  files: Record<string, string>;
  /** what was left out, and why (printed by the command, and as comments in index.ts) */
  skipped: string[];
  counts: Record<string, number>;
}

/** A TypeScript string literal. */
const lit = (v: unknown) => JSON.stringify(v);

/** The resource's name from its ownerRef ("project/stack/Type/name"), when a Pulumi program made it. */
function ownerName(ownerRef: string | null | undefined): string | undefined {
  const parts = (ownerRef ?? "").split("/");
  return parts.length >= 4 ? parts.slice(3).join("/") : undefined;
}

/** Unique resource names and variable names, in the order asked. */
class Names {
  private readonly resources = new Set<string>();
  private readonly variables = new Set<string>(["pulumi", "peerlink", "config"]);
  resource(type: string, wanted: string): string {
    const base = wanted.replace(/[^A-Za-z0-9._-]+/g, "-").replace(/^-+|-+$/g, "") || type.toLowerCase();
    let name = base;
    for (let i = 2; this.resources.has(`${type}/${name}`); i++) name = `${base}-${i}`;
    this.resources.add(`${type}/${name}`);
    return name;
  }
  variable(wanted: string): string {
    const words = wanted.split(/[^A-Za-z0-9]+/).filter((w) => w);
    let base = words.map((w, i) => (i === 0 ? w.charAt(0).toLowerCase() + w.slice(1) : w.charAt(0).toUpperCase() + w.slice(1))).join("") || "resource";
    if (/^[0-9]/.test(base)) base = `r${base}`;
    let name = base;
    for (let i = 2; this.variables.has(name); i++) name = `${base}${i}`;
    this.variables.add(name);
    return name;
  }
}

/** `{ a: 1, b: x }` from ordered entries; values are already TypeScript expressions. */
function args(entries: [string, string | undefined][]): string {
  const set = entries.filter(([, v]) => v !== undefined);
  return `{\n${set.map(([k, v]) => `  ${k}: ${v},`).join("\n")}\n}`;
}

const tagsOf = (t: Record<string, string> | undefined) => (t && Object.keys(t).length > 0 ? lit(Object.fromEntries(Object.entries(t).sort())) : undefined);
const byId =
  <T>(key: (x: T) => string) =>
  (a: T, b: T) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;

export function exportProgram(world: ApiWorld, opts: ExportOptions): ExportedProgram {
  const names = new Names();
  const skipped: string[] = [];
  const lines: string[] = [];
  const counts: Record<string, number> = { Vpc: 0, BorderRouter: 0, RouteTable: 0, Subnet: 0, PeeringConnection: 0, PeeringAcceptance: 0, RouteEntry: 0 };
  const declare = (type: string, variable: string | undefined, name: string, body: string, options?: string) => {
    counts[type]++;
    const target = variable ? `const ${variable} = ` : "";
    lines.push(`${target}new peerlink.${type}(${lit(name)}, ${body}${options ? `, ${options}` : ""});`, "");
  };

  const vpcs = world.vpcs.filter((v) => opts.region === undefined || v.region === opts.region).sort(byId<Vpc>((v) => `${v.name}\n${v.vpcId}`));
  const vpcVar = new Map<string, string>();
  const mainTable = new Map<string, string>(); // main table id -> its VPC's variable
  if (vpcs.length > 0) lines.push("// VPCs (each with its main route table: `<vpc>.routeTableId`)");
  for (const v of vpcs) {
    const name = names.resource("Vpc", v.name || v.vpcId);
    const variable = names.variable(name);
    vpcVar.set(v.vpcId, variable);
    mainTable.set(v.routeTableId, `${variable}.routeTableId`);
    declare(
      "Vpc",
      variable,
      name,
      args([
        ["region", lit(v.region)],
        ["cidrBlock", lit(v.cidrBlock)],
        ["name", v.name ? lit(v.name) : undefined],
        ["tags", tagsOf(v.tags)],
        ["allowedPeerAccountIds", v.allowedPeerAccountIds.length > 0 ? lit([...v.allowedPeerAccountIds].sort()) : undefined],
        ["importId", lit(v.vpcId)],
      ]),
    );
  }

  const routers = (world.borderRouters ?? [])
    .filter((b) => opts.region === undefined || b.region === opts.region)
    .sort(byId<BorderRouter>((b) => `${b.name}\n${b.borderRouterId}`));
  const routerVar = new Map<string, string>();
  if (routers.length > 0) lines.push("// Border routers (each with its own route table: `<router>.routeTableId`)");
  for (const b of routers) {
    const name = names.resource("BorderRouter", ownerName(b.ownerRef) ?? (b.name || b.borderRouterId));
    const variable = names.variable(name);
    routerVar.set(b.borderRouterId, variable);
    mainTable.set(b.routeTableId, `${variable}.routeTableId`);
    declare(
      "BorderRouter",
      variable,
      name,
      args([
        ["region", lit(b.region)],
        ["vlanId", String(b.vlanId)],
        ["interconnectCidrBlock", lit(b.interconnectCidrBlock)],
        ["localGatewayIp", lit(b.localGatewayIp)],
        ["peerGatewayIp", lit(b.peerGatewayIp)],
        ["onPremisesCidrBlocks", lit(b.onPremisesCidrBlocks)],
        ["name", b.name ? lit(b.name) : undefined],
        ["tags", tagsOf(b.tags)],
        ["allowedPeerAccountIds", b.allowedPeerAccountIds.length > 0 ? lit([...b.allowedPeerAccountIds].sort()) : undefined],
        ["importId", lit(b.borderRouterId)],
      ]),
    );
  }
  // A peering end: a VPC or a border router, of this program (an object) or not (its id).
  const endOf = (e: Peering["requester"]) => (e.borderRouterId !== undefined ? routerVar.get(e.borderRouterId) : vpcVar.get(e.vpcId));
  const ownEnd = (e: Peering["requester"]) => endOf(e) !== undefined;
  const endArgs = (e: Peering["requester"], peer: boolean): [string, string][] => {
    const router = e.borderRouterId !== undefined;
    const object = endOf(e);
    const [objectArg, idArg] = router
      ? peer
        ? ["peerBorderRouter", "peerBorderRouterId"]
        : ["borderRouter", "borderRouterId"]
      : peer
        ? ["peerVpc", "peerVpcId"]
        : ["vpc", "vpcId"];
    return [object ? [objectArg, object] : [idArg, lit(router ? e.borderRouterId : e.vpcId)]];
  };

  const tables = (world.routeTables ?? []).filter((t) => !t.main && vpcVar.has(t.vpcId)).sort(byId<RouteTableSummary>((t) => `${t.name}\n${t.routeTableId}`));
  const tableRef = new Map(mainTable);
  if (tables.length > 0) lines.push("// Route tables besides the main ones");
  for (const t of tables) {
    const name = names.resource("RouteTable", ownerName(t.ownerRef) ?? (t.name || t.routeTableId));
    const variable = names.variable(`${name}-table`);
    tableRef.set(t.routeTableId, `${variable}.routeTableId`);
    declare(
      "RouteTable",
      variable,
      name,
      args([
        ["vpcId", `${vpcVar.get(t.vpcId)}.vpcId`],
        ["name", t.name ? lit(t.name) : undefined],
        ["tags", tagsOf(t.tags)],
        ["importId", lit(t.routeTableId)],
      ]),
    );
  }

  const subnets = (world.subnets ?? []).filter((s) => vpcVar.has(s.vpcId)).sort(byId<Subnet>((s) => `${s.vpcId}\n${s.cidrBlock}`));
  if (subnets.length > 0) lines.push("// Subnets");
  for (const s of subnets) {
    const name = names.resource("Subnet", ownerName(s.ownerRef) ?? (s.name || s.subnetId));
    declare(
      "Subnet",
      undefined,
      name,
      args([
        ["vpcId", `${vpcVar.get(s.vpcId)}.vpcId`],
        ["cidrBlock", lit(s.cidrBlock)],
        ["zone", s.zone ? lit(s.zone) : undefined],
        ["routeTableId", tableRef.get(s.routeTableId) ?? lit(s.routeTableId)],
        ["name", s.name ? lit(s.name) : undefined],
        ["tags", tagsOf(s.tags)],
        ["importId", lit(s.subnetId)],
      ]),
    );
  }

  // Peerings: the ones this account requested are PeeringConnections; the ones it accepted, PeeringAcceptances.
  const peeringRef = new Map<string, string>();
  const peerings = world.peerings.sort(byId<Peering>((p) => `${p.name}\n${p.peeringId}`));
  const live = peerings.filter((p) => LIVE_STATES.includes(p.state));
  for (const p of peerings) if (!LIVE_STATES.includes(p.state)) skipped.push(`peering ${p.peeringId} (${p.state}): not live`);
  const requested = live.filter((p) => p.role === "initiator" && ownEnd(p.requester));
  if (requested.length > 0) lines.push("// Peerings this account requested");
  for (const p of requested) {
    const name = names.resource("PeeringConnection", ownerName(p.ownerRef) ?? (p.name || p.peeringId));
    const variable = names.variable(name);
    peeringRef.set(p.peeringId, `${variable}.peeringId`);
    const peerVar = endOf(p.accepter);
    const sameAccount = p.accepter.accountId === p.requester.accountId;
    declare(
      "PeeringConnection",
      variable,
      name,
      args([
        ...endArgs(p.requester, false),
        // Another account's VPC (or one outside --region) is not in this program: its id is the reference.
        ...endArgs(p.accepter, true),
        ["peerAccountId", sameAccount || peerVar ? undefined : lit(p.accepter.accountId)],
        ["peerRegion", !peerVar && p.accepter.region && p.accepter.region !== p.requester.region ? lit(p.accepter.region) : undefined],
        ["bandwidthMbps", p.bandwidthMbps !== null ? String(p.bandwidthMbps) : undefined],
        ["name", p.name ? lit(p.name) : undefined],
        ["tags", tagsOf(p.tags)],
        ["lossRateAlarmPercent", p.alarms.lossRatePercent !== null ? String(p.alarms.lossRatePercent) : undefined],
        ["peakUtilisationAlarmPercent", p.alarms.peakUtilisationPercent !== null ? String(p.alarms.peakUtilisationPercent) : undefined],
        ["importId", lit(p.peeringId)],
      ]),
    );
  }
  const accepted = live.filter((p) => p.role === "acceptor" && ownEnd(p.accepter));
  // A pending request waits for a decision: adopting it as a PeeringAcceptance would accept it.
  for (const p of accepted.filter((x) => x.state === "Pending")) {
    skipped.push(`peering ${p.peeringId} from account ${p.requester.accountId}: a pending request (accept it with a PeeringAcceptance once you decide to)`);
  }
  const acceptances = accepted.filter((p) => p.state !== "Pending");
  if (acceptances.length > 0) lines.push("// Peerings this account accepted (the requester's stack declares the PeeringConnection)");
  for (const p of acceptances) {
    const name = names.resource("PeeringAcceptance", p.name || `from-${p.requester.accountId}-${p.peeringId}`);
    const variable = names.variable(`${name}-acceptance`);
    peeringRef.set(p.peeringId, `${variable}.peeringId`);
    declare(
      "PeeringAcceptance",
      variable,
      name,
      args([
        ["peeringId", lit(p.peeringId)],
        ["allowedRequesterAccountIds", lit([p.requester.accountId])],
        ["importId", lit(p.peeringId)],
      ]),
      // Its peering comes from another stack, so nothing else orders it before its VPC on destroy.
      `{ dependsOn: [${endOf(p.accepter)}] }`,
    );
  }

  const routes = world.routes
    .filter((r) => r.nextHopType === "Peering" && (vpcVar.has(r.vpcId) || routerVar.has(r.vpcId)))
    .sort(byId<Route>((r) => `${r.routeTableId}\n${r.destinationCidrBlock}`));
  const declaredRoutes = routes.filter((r) => r.peeringId !== null && peeringRef.has(r.peeringId));
  for (const r of routes)
    if (!declaredRoutes.includes(r)) skipped.push(`route ${r.routeId} (${r.destinationCidrBlock}): its peering ${r.peeringId} is not in this program`);
  if (declaredRoutes.length > 0) lines.push("// Routes through the peerings");
  for (const r of declaredRoutes) {
    const table = tableRef.get(r.routeTableId);
    const name = names.resource(
      "RouteEntry",
      ownerName(r.ownerRef) ?? `${vpcs.find((v) => v.vpcId === r.vpcId)?.name || r.vpcId}-to-${r.destinationCidrBlock}`,
    );
    declare(
      "RouteEntry",
      undefined,
      name,
      args([
        ["routeTableId", table ?? lit(r.routeTableId)],
        ["destinationCidrBlock", lit(r.destinationCidrBlock)],
        ["peeringId", peeringRef.get(r.peeringId!)],
        ["description", r.description ? lit(r.description) : undefined],
        ["importId", lit(r.routeId)],
      ]),
    );
  }

  const header = [
    `// Exported by \`peerlink export-program\` from account ${world.accountId}${opts.region ? ` (region ${opts.region})` : ""}.`,
    "// Every resource adopts what exists by `importId`: the first `pulumi up` verifies each one against this",
    "// declaration and changes nothing; after it, `importId` can stay or go.",
    "// The connection comes from the stack's config (`pulumi config set peerlink:endpoint URL` and",
    "// `pulumi config set --secret peerlink:apiKey KEY`) or from PEERLINK_ENDPOINT and PEERLINK_API_KEY.",
    ...(skipped.length > 0 ? ["//", "// Left out:", ...skipped.map((s) => `//  - ${s}`)] : []),
    'import * as peerlink from "peerlink";',
    "",
  ];
  const exported = [...vpcVar.entries()].map(([, v]) => `  ${v}: ${v}.vpcId,`);
  const footer = exported.length > 0 ? ["export const vpcIds = {", ...exported, "};", ""] : [];
  const project = opts.project ?? "peerlink-adopted";
  return {
    skipped,
    counts,
    files: {
      "index.ts": [...header, ...lines, ...footer].join("\n"),
      "Pulumi.yaml": `name: ${project}\ndescription: What account ${world.accountId} had, adopted by peerlink export-program.\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n`,
      "package.json": `${JSON.stringify(
        {
          name: project,
          private: true,
          main: "index.ts",
          dependencies: { "@pulumi/pulumi": opts.pulumiVersion, peerlink: opts.peerlinkVersion },
          devDependencies: { typescript: "5.9.3", "@types/node": "20.19.8" },
        },
        null,
        2,
      )}\n`,
      "tsconfig.json": `${JSON.stringify(
        {
          compilerOptions: {
            target: "ES2022",
            module: "commonjs",
            moduleResolution: "node",
            strict: true,
            esModuleInterop: true,
            skipLibCheck: true,
            types: ["node"],
          },
          files: ["index.ts"],
        },
        null,
        2,
      )}\n`,
    },
  };
}
