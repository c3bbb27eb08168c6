// The rules of a border router (VBR, seeds 000 and 001): the cloud's end of a leased line to an on-premises
// network. It peers with a VPC like a VPC would, and its own route table holds routes towards the VPC.
// The rule book (rulebook.ts) calls these; the server and the preview evaluate them alike. Pure: no I/O.
import { cidrContains, cidrsOverlap, findOverlaps, Ipv4Cidr, parseCidr } from "./cidr";
import { Findings, isPeerlinkError, Violation } from "./errors";
import { describeVpc, Fact, known, vpcByKey, World, WorldBorderRouter, WorldEnd, WorldPeering } from "./world";

/** VLAN ids of a leased line (the seeds' clouds take 1 to 2999). */
export const VLAN_MIN = 1;
export const VLAN_MAX = 2999;
/** The interconnect subnet holds the two gateway IPs: a /29 or a /30. */
export const INTERCONNECT_MIN_PREFIX = 29;
export const INTERCONNECT_MAX_PREFIX = 30;
export const ON_PREM_CIDRS_MAX = 20;

export function borderRouterByKey(w: World, key: string): WorldBorderRouter | undefined {
  return (w.borderRouters ?? []).find((b) => b.key === key);
}

export function describeBorderRouter(b: WorldBorderRouter | undefined, fallback: string): string {
  if (!b) return fallback;
  if (b.label && b.borderRouterId) return `${b.label} (${b.borderRouterId})`;
  if (b.label) return b.label;
  if (b.name && b.borderRouterId) return `border router "${b.name}" (${b.borderRouterId})`;
  return b.borderRouterId ? `border router ${b.borderRouterId}` : fallback;
}

/** The element for a border router as the API answers it and the store keeps it. */
export function borderRouterElement(b: {
  borderRouterId: string;
  accountId: string;
  region: string;
  name?: string;
  vlanId: number;
  interconnectCidrBlock: string;
  localGatewayIp: string;
  peerGatewayIp: string;
  onPremisesCidrBlocks: string[];
  routeTableId: string;
  allowedPeerAccountIds?: string[];
  ownerRef?: string | null;
}): WorldBorderRouter {
  return {
    key: b.borderRouterId,
    borderRouterId: b.borderRouterId,
    ownerRef: b.ownerRef ?? undefined,
    name: b.name || undefined,
    label: b.name ? `border router "${b.name}"` : undefined,
    accountId: b.accountId,
    region: b.region,
    vlanId: b.vlanId,
    interconnectCidr: b.interconnectCidrBlock,
    localGatewayIp: b.localGatewayIp,
    peerGatewayIp: b.peerGatewayIp,
    onPremCidrs: [...b.onPremisesCidrBlocks],
    routeTableId: b.routeTableId,
    allowedPeerAccountIds: b.allowedPeerAccountIds ?? [],
  };
}

function tryCidr(text: unknown, field: string, out: Violation[]): Ipv4Cidr | undefined {
  try {
    return parseCidr(text, field);
  } catch (e) {
    if (!isPeerlinkError(e)) throw e;
    out.push({ code: "ValidationError", field, message: e.message, details: e.details });
    return undefined;
  }
}

function gatewayViolations(ip: unknown, field: string, subnet: Ipv4Cidr | undefined, out: Violation[]): number | undefined {
  if (typeof ip !== "string" || ip.includes("/")) {
    out.push({ code: "ValidationError", field, message: `"${field}" must be an IPv4 address such as 10.255.0.1`, details: { field } });
    return undefined;
  }
  const c = tryCidr(`${ip}/32`, field, []);
  if (!c) {
    out.push({
      code: "ValidationError",
      field,
      message: `"${field}" value ${JSON.stringify(ip)} is not an IPv4 address; write four decimal octets from 0 to 255 without leading zeros`,
      details: { field, value: ip },
    });
    return undefined;
  }
  if (subnet && (c.start <= subnet.start || c.start >= subnet.end)) {
    out.push({
      code: "ValidationError",
      field,
      message: `"${field}" ${ip} is not a usable address of the interconnect subnet ${subnet.text}; choose one between its network and broadcast addresses`,
      details: { field, value: ip, interconnectCidrBlock: subnet.text },
    });
  }
  return c.start;
}

export type BorderRouterFields = {
  vlanId: unknown;
  interconnectCidrBlock: unknown;
  localGatewayIp: unknown;
  peerGatewayIp: unknown;
  onPremisesCidrBlocks: unknown;
};

/** The form of a border router's own fields (no other resource needed); every violation at once. */
export function borderRouterFieldViolations(f: BorderRouterFields): Violation[] {
  const out: Violation[] = [];
  if (typeof f.vlanId !== "number" || !Number.isInteger(f.vlanId) || f.vlanId < VLAN_MIN || f.vlanId > VLAN_MAX) {
    out.push({
      code: "ValidationError",
      field: "vlanId",
      message: `"vlanId" must be a whole number from ${VLAN_MIN} to ${VLAN_MAX}, got ${JSON.stringify(f.vlanId)}`,
      details: { min: VLAN_MIN, max: VLAN_MAX },
    });
  }
  let subnet = tryCidr(f.interconnectCidrBlock, "interconnectCidrBlock", out);
  if (subnet && (subnet.prefix < INTERCONNECT_MIN_PREFIX || subnet.prefix > INTERCONNECT_MAX_PREFIX)) {
    out.push({
      code: "ValidationError",
      field: "interconnectCidrBlock",
      message: `"interconnectCidrBlock" ${subnet.text} has prefix /${subnet.prefix}; the interconnect subnet must be a /${INTERCONNECT_MIN_PREFIX} or a /${INTERCONNECT_MAX_PREFIX}`,
      details: { value: subnet.text, minPrefix: INTERCONNECT_MIN_PREFIX, maxPrefix: INTERCONNECT_MAX_PREFIX },
    });
    subnet = undefined;
  }
  const local = gatewayViolations(f.localGatewayIp, "localGatewayIp", subnet, out);
  const peer = gatewayViolations(f.peerGatewayIp, "peerGatewayIp", subnet, out);
  if (local !== undefined && local === peer) {
    out.push({
      code: "ValidationError",
      field: "peerGatewayIp",
      message: `"peerGatewayIp" must differ from "localGatewayIp" (both ${String(f.localGatewayIp)}); each end of the line has its own address`,
    });
  }
  const list = f.onPremisesCidrBlocks;
  if (!Array.isArray(list) || list.length === 0 || list.length > ON_PREM_CIDRS_MAX) {
    out.push({
      code: "ValidationError",
      field: "onPremisesCidrBlocks",
      message: `"onPremisesCidrBlocks" must list 1 to ${ON_PREM_CIDRS_MAX} CIDR blocks reachable behind the border router`,
      details: { max: ON_PREM_CIDRS_MAX },
    });
    return out;
  }
  const blocks = list.flatMap((text, i) => {
    const c = tryCidr(text, `onPremisesCidrBlocks[${i}]`, out);
    return c ? [{ key: String(i), cidr: c }] : [];
  });
  for (const [a, b] of findOverlaps(blocks)) {
    out.push({
      code: "ValidationError",
      field: "onPremisesCidrBlocks",
      message: `on-premises blocks ${a.cidr.text} and ${b.cidr.text} overlap; list each block once, without overlaps`,
      details: { overlaps: [a.cidr.text, b.cidr.text] },
    });
  }
  if (subnet) {
    for (const b of blocks.filter((x) => cidrsOverlap(x.cidr, subnet))) {
      out.push({
        code: "ValidationError",
        field: "onPremisesCidrBlocks",
        message: `on-premises block ${b.cidr.text} overlaps the interconnect subnet ${subnet.text}; the line's own subnet is not on-premises space`,
        details: { onPremisesCidrBlock: b.cidr.text, interconnectCidrBlock: subnet.text },
      });
    }
  }
  return out;
}

/** Creating the border router `key`: its fields, and a VLAN id no other border router of the account uses in its region. */
export function borderRouterFindings(w: World, key: string): Findings {
  const out: Findings = { violations: [], deferred: [] };
  const b = borderRouterByKey(w, key);
  if (!b) return out;
  const subject = describeBorderRouter(b, key);
  const facts: Record<string, Fact<unknown>> = {
    vlanId: b.vlanId,
    interconnectCidrBlock: b.interconnectCidr,
    localGatewayIp: b.localGatewayIp,
    peerGatewayIp: b.peerGatewayIp,
    onPremisesCidrBlocks: b.onPremCidrs,
  };
  const unknown = Object.keys(facts).filter((k) => known(facts[k]) === undefined);
  if (unknown.length > 0) out.deferred.push({ subject, reason: `${unknown.map((k) => `"${k}"`).join(", ")} of ${subject} not known yet` });
  else out.violations.push(...borderRouterFieldViolations(facts as BorderRouterFields));
  const vlan = known(b.vlanId);
  const account = known(b.accountId);
  const region = known(b.region);
  if (vlan === undefined || account === undefined || region === undefined) return out;
  const taken = (w.borderRouters ?? []).filter(
    (o) => o.key !== key && known(o.vlanId) === vlan && known(o.accountId) === account && known(o.region) === region,
  );
  if (taken.length > 0) {
    const other = describeBorderRouter(taken[0], taken[0].key);
    out.violations.push({
      code: "VlanInUse",
      field: "vlanId",
      message: `VLAN ${vlan} is already used by ${other} in ${region}; a VLAN id appears once per account and region: choose another "vlanId"`,
      details: { vlanId: vlan, region, borderRouterId: taken[0].borderRouterId ?? taken[0].key },
    });
  }
  return out;
}

/** The border router at an end of a peering, when that end is one. */
export function borderEnd(w: World, e: WorldEnd): WorldBorderRouter | undefined {
  return e.kind === "borderRouter" ? borderRouterByKey(w, e.vpcKey) : undefined;
}

function parsedOnPrem(b: WorldBorderRouter): Ipv4Cidr[] {
  return (known(b.onPremCidrs) ?? []).flatMap((t) => tryCidr(t, "onPremisesCidrBlocks", []) ?? []);
}

/**
 * A peering with a border router end: exactly one end is a border router, and the VPC's CIDR overlaps
 * neither its on-premises blocks nor its interconnect subnet. The other create-time rules are the VPC
 * peering's own (rulebook.ts).
 */
export function borderPeeringViolations(w: World, p: WorldPeering, opts: { viewer?: string } = {}): { violations: Violation[]; deferred: string[] } {
  const out: Violation[] = [];
  const deferred: string[] = [];
  const ends = [p.requester, p.accepter];
  const vbrEnds = ends.filter((e) => e.kind === "borderRouter");
  if (vbrEnds.length === 0) return { violations: out, deferred };
  if (vbrEnds.length === 2) {
    out.push({
      code: "ValidationError",
      field: "peerBorderRouterId",
      message: `both ends of the peering are border routers; a border router peers with a VPC: give a VPC at one end`,
    });
    return { violations: out, deferred };
  }
  const vbrEnd = vbrEnds[0];
  const vpcEnd = vbrEnd === p.requester ? p.accepter : p.requester;
  const b = borderRouterByKey(w, vbrEnd.vpcKey);
  const vpcText = known(vpcEnd.cidr);
  // Another account's end is named by its id only, and its VPC's CIDR is not told (as for a VPC peer).
  const foreign = (account: Fact<string>) => opts.viewer !== undefined && known(account) !== undefined && known(account) !== opts.viewer;
  const vpcHidden = foreign(vpcEnd.accountId);
  const vpcName = vpcHidden ? `peer VPC ${vpcEnd.vpcKey}` : describeVpc(vpcByKey(w, vpcEnd.vpcKey), `VPC ${vpcEnd.vpcKey}`);
  if (!b) {
    // Another account's router the caller cannot read: the server evaluates the overlap at write time.
    deferred.push(`border router ${vbrEnd.vpcKey} is not visible to this account, so its on-premises blocks are not known here`);
    return { violations: out, deferred };
  }
  const vbrName = foreign(b.accountId) ? `border router ${b.borderRouterId ?? vbrEnd.vpcKey}` : describeBorderRouter(b, vbrEnd.vpcKey);
  if (vpcText === undefined || known(b.onPremCidrs) === undefined || known(b.interconnectCidr) === undefined) {
    deferred.push(`the CIDR of ${vpcName} or the blocks of ${vbrName} are not known yet`);
    return { violations: out, deferred };
  }
  const vpc = tryCidr(vpcText, "cidrBlock", []);
  if (!vpc) return { violations: out, deferred };
  const field = vbrEnd === p.requester ? "borderRouterId" : "peerBorderRouterId";
  const interconnect = tryCidr(known(b.interconnectCidr), "interconnectCidrBlock", []);
  const hits = parsedOnPrem(b).filter((c) => cidrsOverlap(c, vpc));
  const shown = vpcHidden ? "" : ` (${vpc.text})`;
  const vpcCidr = vpcHidden ? {} : { vpcCidr: vpc.text };
  if (hits.length > 0) {
    out.push({
      code: "CidrOverlap",
      field,
      message: vpcHidden
        ? `the CIDR of ${vpcName} overlaps the on-premises blocks ${hits.map((h) => h.text).join(", ")} behind ${vbrName}; choose on-premises blocks outside that VPC's CIDR, or another VPC`
        : `${vpcName}${shown} overlaps the on-premises blocks ${hits.map((h) => h.text).join(", ")} behind ${vbrName}; choose a VPC CIDR outside the on-premises space`,
      details: { ...vpcCidr, onPremisesCidrBlocks: hits.map((h) => h.text), borderRouterId: b.borderRouterId },
    });
  }
  if (interconnect && cidrsOverlap(interconnect, vpc)) {
    out.push({
      code: "CidrOverlap",
      field,
      message: vpcHidden
        ? `the CIDR of ${vpcName} overlaps the interconnect subnet ${interconnect.text} of ${vbrName}; choose an interconnect subnet outside that VPC's CIDR, or another VPC`
        : `${vpcName}${shown} overlaps the interconnect subnet ${interconnect.text} of ${vbrName}; choose a VPC CIDR outside it`,
      details: { ...vpcCidr, interconnectCidrBlock: interconnect.text, borderRouterId: b.borderRouterId },
    });
  }
  return { violations: out, deferred };
}

/**
 * A route in a VPC's table whose next hop is a peering with a border router: its destination lies inside
 * the border router's on-premises blocks (the VBR's non-transitivity: it carries no traffic to another VPC).
 */
export function routeViaBorderRouterViolations(b: WorldBorderRouter, destination: string, peeringName: string): Violation[] {
  const dest = tryCidr(destination, "destinationCidrBlock", []);
  const blocks = parsedOnPrem(b);
  if (!dest || known(b.onPremCidrs) === undefined || blocks.some((c) => cidrContains(c, dest))) return [];
  const shown = blocks.map((c) => c.text).join(", ");
  return [
    {
      code: "NonTransitiveRoute",
      field: "destinationCidrBlock",
      message: `destination ${dest.text} is not inside the on-premises blocks (${shown}) of ${describeBorderRouter(b, b.key)} behind ${peeringName}; a border router does not carry traffic elsewhere, so use a destination within ${shown}`,
      details: { destination: dest.text, onPremisesCidrBlocks: blocks.map((c) => c.text), peeringId: peeringName },
    },
  ];
}
