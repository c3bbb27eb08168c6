// Every answer about another account's VPC (even "not found") costs a token of the caller's bucket
// for that VPC id, so the overlap rule cannot be used to search for its CIDR at speed.
import { TooManyRequestsError } from "../../domain";
import { BucketLimit, TokenBuckets } from "../token-bucket";
import type { Caller, PeerProbes, TxContext } from "./tx";

export class PeerProbeLimiter implements PeerProbes {
  private readonly buckets = new TokenBuckets();

  /** limit null = unlimited */
  constructor(private readonly limit: BucketLimit | null) {}

  async check(ctx: TxContext, caller: Caller, peerVpcId: string | undefined): Promise<void> {
    if (peerVpcId === undefined || this.limit === null) return;
    // A peer VPC or (issue 11) border router: the caller's own are not probes.
    const v = (await ctx.tx.getVpc(peerVpcId)) ?? (await ctx.tx.getBorderRouter(peerVpcId));
    if (v && v.accountId === caller.accountId) return;
    const t = this.buckets.take(`${caller.accountId} ${peerVpcId}`, this.limit);
    if (t.ok) return;
    const seconds = Math.max(1, Math.ceil(t.retryAfterMs / 1000));
    throw new TooManyRequestsError(
      `too many dry runs and requests naming ${peerVpcId.startsWith("vbr-") ? "border router" : "VPC"} ${peerVpcId}, which this account does not own; retry after ${seconds} s`,
      {
        retryAfterSeconds: seconds,
        peerVpcId,
      },
    );
  }
}
