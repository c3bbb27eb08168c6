// Token buckets by key: each key holds up to `burst` tokens and regains `perSecond` of them per second.
export type BucketLimit = { perSecond: number; burst: number };

export type Take = { ok: true; left: number } | { ok: false; retryAfterMs: number };

export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  constructor(private readonly maxKeys = 100_000) {}

  take(key: string, limit: BucketLimit, now = Date.now()): Take {
    const rate = limit.perSecond / 1000;
    const b = this.buckets.get(key) ?? { tokens: limit.burst, at: now };
    b.tokens = Math.min(limit.burst, b.tokens + Math.max(0, now - b.at) * rate);
    b.at = now;
    this.buckets.set(key, b);
    if (this.buckets.size > this.maxKeys) this.sweep(now, rate, limit.burst);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true, left: b.tokens };
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - b.tokens) / rate) };
  }

  /** Full buckets are the same as no bucket. */
  private sweep(now: number, rate: number, burst: number): void {
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * rate >= burst) this.buckets.delete(k);
  }
}
