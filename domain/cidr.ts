// Strict IPv4 CIDR handling on ipaddr.js. Its IPv4.isValid also takes hex, octal and integer forms
// ("0xc0.168.1.1", "3232235777") that no cloud console would, so addresses must pass
// isValidFourPartDecimal, and the prefix must be plain decimal.
import * as ipaddr from "ipaddr.js";
import { ValidationError } from "./errors";

export type Ipv4Cidr = {
  /** canonical text, e.g. "10.0.0.0/16" */
  text: string;
  /** first address as an unsigned 32-bit integer */
  start: number;
  /** last address as an unsigned 32-bit integer */
  end: number;
  prefix: number;
};

export const VPC_MIN_PREFIX = 8;
export const VPC_MAX_PREFIX = 28;

const PREFIX_RE = /^(0|[1-9][0-9]?)$/;

function toInt(a: ipaddr.IPv4): number {
  const [o0, o1, o2, o3] = a.octets;
  return ((o0 << 24) | (o1 << 16) | (o2 << 8) | o3) >>> 0;
}

function fromInt(n: number): ipaddr.IPv4 {
  return new ipaddr.IPv4([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);
}

function cidrFrom(start: number, prefix: number): Ipv4Cidr {
  const size = 2 ** (32 - prefix);
  return { text: `${fromInt(start).toString()}/${prefix}`, start, end: start + size - 1, prefix };
}

/**
 * Parses "a.b.c.d/n": four decimal octets (0..255) without leading zeros, prefix 0..32 required.
 * Throws ValidationError; when host bits are set, details.canonical holds the network form.
 */
export function parseCidr(text: unknown, field = "cidrBlock"): Ipv4Cidr {
  if (typeof text !== "string") {
    throw new ValidationError(`"${field}" must be a string in a.b.c.d/n form`, { field });
  }
  const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
  const [address, prefixText, ...rest] = text.split("/");
  if (rest.length > 0 || prefixText === undefined || !ipaddr.IPv4.isValidFourPartDecimal(address) || !PREFIX_RE.test(prefixText) || Number(prefixText) > 32) {
    throw new ValidationError(
      `"${field}" value ${JSON.stringify(shown)} is not an IPv4 CIDR; write four decimal octets from 0 to 255 without leading zeros and a prefix from 0 to 32, e.g. 10.0.0.0/16`,
      { field, value: shown },
    );
  }
  const prefix = Number(prefixText);
  const network = ipaddr.IPv4.networkAddressFromCIDR(text);
  const cidr = cidrFrom(toInt(network), prefix);
  if (toInt(ipaddr.IPv4.parse(address)) !== cidr.start) {
    throw new ValidationError(`"${field}" value ${text} is not canonical; use ${cidr.text}`, {
      field,
      value: text,
      canonical: cidr.text,
    });
  }
  return cidr;
}

/** Parses a VPC CIDR and checks its size: /8 (largest) to /28 (smallest). */
export function checkVpcCidr(text: unknown, field = "cidrBlock"): Ipv4Cidr {
  const cidr = parseCidr(text, field);
  if (cidr.prefix < VPC_MIN_PREFIX || cidr.prefix > VPC_MAX_PREFIX) {
    throw new ValidationError(
      `"${field}" value ${cidr.text} has prefix /${cidr.prefix}; a VPC CIDR must be between /${VPC_MIN_PREFIX} and /${VPC_MAX_PREFIX}`,
      { field, value: cidr.text, minPrefix: VPC_MIN_PREFIX, maxPrefix: VPC_MAX_PREFIX },
    );
  }
  return cidr;
}

function asCidr(c: Ipv4Cidr | string): Ipv4Cidr {
  return typeof c === "string" ? parseCidr(c) : c;
}

export function cidrsOverlap(a: Ipv4Cidr | string, b: Ipv4Cidr | string): boolean {
  const x = asCidr(a);
  const y = asCidr(b);
  return x.start <= y.end && y.start <= x.end;
}

/** True when every address of inner lies inside outer. */
export function cidrContains(outer: Ipv4Cidr | string, inner: Ipv4Cidr | string): boolean {
  const o = asCidr(outer);
  const i = asCidr(inner);
  return o.start <= i.start && i.end <= o.end;
}

/**
 * Every overlapping pair among items, in O(n log n + k) for k pairs. CIDR blocks are either nested
 * or disjoint, so after sorting by start (outer block first) the blocks that contain the current
 * one form a stack; everything still on the stack overlaps it.
 */
export function findOverlaps<T extends { key: string; cidr: Ipv4Cidr | string }>(items: T[]): [T, T][] {
  const sorted = items.map((item) => ({ item, c: asCidr(item.cidr) })).sort((a, b) => a.c.start - b.c.start || b.c.end - a.c.end);
  const stack: { item: T; c: Ipv4Cidr }[] = [];
  const pairs: [T, T][] = [];
  for (const cur of sorted) {
    while (stack.length > 0 && stack[stack.length - 1].c.end < cur.c.start) stack.pop();
    for (const open of stack) pairs.push([open.item, cur.item]);
    stack.push(cur);
  }
  return pairs;
}
