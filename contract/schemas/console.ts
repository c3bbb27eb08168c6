// Issue 13: what the console adds to the API: its sign-in (links and sessions) and a peering's delete
// cascade (what goes with it, in both accounts).
import { Type } from "@sinclair/typebox";
import { closed, isoTime, str } from "./blocks";

/** POST /console/api/session: a sign-in link's token, or an API key, exchanged for a session cookie. */
export const openSessionBody = Type.Object({ token: Type.Optional(str(200)), apiKey: Type.Optional(str(200)) }, closed);
export const consoleSessionSchema = Type.Object({ accountId: Type.String(), name: Type.String(), expiresAt: isoTime }, closed);
/** POST /console/api/sign-in-links: a one-time link for the calling account (its token goes in the URL fragment). */
export const signInLinkSchema = Type.Object({ accountId: Type.String(), token: Type.String(), expiresAt: isoTime }, closed);

export const cascadeRouteSchema = Type.Object(
  { routeId: Type.String(), routeTableId: Type.String(), vpcId: Type.String(), destinationCidrBlock: Type.String() },
  closed,
);

/**
 * GET /v1/peering-connections/:id/cascade: the routes a delete of the peering removes. The caller's own
 * routes by id; the other account's only as a count (its tables and routes are not the caller's to see).
 */
export const peeringCascadeSchema = Type.Object(
  { peeringConnectionId: Type.String(), routes: Type.Array(cascadeRouteSchema), peerAccountRouteCount: Type.Integer({ minimum: 0 }) },
  closed,
);
