// Strict IPv4 CIDR handling. Hand-written on purpose: generic parsers accept hex, octal and
// integer forms ("0xc0.168.1.1", "3232235777") that no cloud console would.
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

const OCTET = "(0|[1-9][0-9]{0,2})";
const CIDR_RE = new RegExp(`^${OCTET}\\.${OCTET}\\.${OCTET}\\.${OCTET}/(0|[1-9][0-9]?)$`);

function formatAddress(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

function maskOf(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function cidrFrom(start: number, prefix: number): Ipv4Cidr {
  const size = 2 ** (32 - prefix);
  return { text: `${formatAddress(start)}/${prefix}`, start, end: start + size - 1, prefix };
}

/**
 * Parses "a.b.c.d/n": four decimal octets without leading zeros, prefix 0..32 required.
 * Throws ValidationError; when host bits are set, details.canonical holds the network form.
 */
export function parseCidr(text: unknown, field = "cidrBlock"): Ipv4Cidr {
  if (typeof text !== "string") {
    throw new ValidationError(`"${field}" must be a string in a.b.c.d/n form`, { field });
  }
  const shown = text.length > 64 ? `${text.slice(0, 64)}...` : text;
  const m = CIDR_RE.exec(text);
  if (!m) {
    throw new ValidationError(`"${field}" value ${JSON.stringify(shown)} is not an IPv4 CIDR; write four decimal octets and a prefix, e.g. 10.0.0.0/16`, {
      field,
      value: shown,
    });
  }
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) {
    throw new ValidationError(`"${field}" value ${JSON.stringify(shown)} is out of range; octets go up to 255 and the prefix up to 32`, {
      field,
      value: shown,
    });
  }
  const addr = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const start = (addr & maskOf(prefix)) >>> 0;
  const cidr = cidrFrom(start, prefix);
  if (start !== addr) {
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

/** Returns true when text parses as a canonical CIDR (no throw). */
export function isCanonicalCidr(text: unknown): boolean {
  try {
    parseCidr(text);
    return true;
  } catch {
    return false;
  }
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

export function formatCidr(c: Ipv4Cidr | { start: number; prefix: number }): string {
  return cidrFrom(c.start >>> 0, c.prefix).text;
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
