// Cross-region cost estimate after seed 004: the initiator pays a daily rate per Mbps of the day's
// peak, and the tier that contains the peak applies to the whole peak (30 Mbps -> 30 * 12 = 360 CNY).
import { ValidationError } from "./errors";
import { assertRegion } from "./regions";

export type PricedEstimate = {
  priced: true;
  currency: "CNY";
  dailyCost: number;
  ratePerMbpsDay: number;
  /** the tier that holds the peak, e.g. "(20, 100]" (Mbps) */
  tier: string;
  peakBandwidthMbps: number;
};
export type UnpricedEstimate = { priced: false; reason: string; peakBandwidthMbps: number };
export type CostEstimate = PricedEstimate | UnpricedEstimate;

/** Mainland-to-mainland tiers; above the last one the seed says to consult the business department. */
export const MAINLAND_TIERS: readonly { aboveMbps: number; upToMbps: number; ratePerMbpsDay: number }[] = [
  { aboveMbps: 0, upToMbps: 20, ratePerMbpsDay: 20 },
  { aboveMbps: 20, upToMbps: 100, ratePerMbpsDay: 12 },
];

/**
 * Daily cost of a peering for a peak bandwidth. Regional peering is free and has no estimate (null).
 * Pairs or peaks the price table does not list are "unpriced" with a reason, never 0.
 */
export function estimateDailyCost(initiatorRegion: string, acceptorRegion: string, peakMbps: number): CostEstimate | null {
  const from = assertRegion(initiatorRegion, "initiatorRegion");
  const to = assertRegion(acceptorRegion, "acceptorRegion");
  if (typeof peakMbps !== "number" || !Number.isFinite(peakMbps) || peakMbps <= 0) {
    throw new ValidationError(`"peakBandwidthMbps" must be a number above 0, got ${String(peakMbps)}`, {
      field: "peakBandwidthMbps",
    });
  }
  if (from.id === to.id) return null;
  const outside = [from, to].filter((r) => !r.mainlandChina);
  if (outside.length > 0) {
    return {
      priced: false,
      reason: `no published price for cross-region peering involving ${outside.map((r) => r.id).join(" and ")}; only pairs with both ends in mainland China are priced`,
      peakBandwidthMbps: peakMbps,
    };
  }
  const tier = MAINLAND_TIERS.find((t) => peakMbps > t.aboveMbps && peakMbps <= t.upToMbps);
  if (!tier) {
    const top = MAINLAND_TIERS[MAINLAND_TIERS.length - 1].upToMbps;
    return {
      priced: false,
      reason: `no published price for a peak above ${top} Mbps; the price table asks to consult the business department`,
      peakBandwidthMbps: peakMbps,
    };
  }
  return {
    priced: true,
    currency: "CNY",
    // Rounded to fen so fractional peaks do not produce float noise.
    dailyCost: Math.round(peakMbps * tier.ratePerMbpsDay * 100) / 100,
    ratePerMbpsDay: tier.ratePerMbpsDay,
    tier: `(${tier.aboveMbps}, ${tier.upToMbps}]`,
    peakBandwidthMbps: peakMbps,
  };
}
