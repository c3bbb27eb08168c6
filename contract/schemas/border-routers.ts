// Issue 11: border routers (VBRs) and a peering's related routes.
import { Type } from "@sinclair/typebox";
import { NAME_MAX_LENGTH } from "../../domain";
import { closed, idSchema, isoTime, oneOf, str, stringMap } from "./blocks";
import { clientTokenSchema, tagsSchema } from "./common";
import { allowedPeersSchema } from "./requests";

export const borderRouterSchema = Type.Object(
  {
    borderRouterId: Type.String(),
    accountId: Type.String(),
    region: Type.String(),
    name: Type.String(),
    tags: stringMap,
    /** 1 to 2999, unique per account and region */
    vlanId: Type.Integer(),
    /** the /29 or /30 interconnect subnet holding both gateway IPs */
    interconnectCidrBlock: Type.String(),
    localGatewayIp: Type.String(),
    peerGatewayIp: Type.String(),
    /** the on-premises blocks reachable behind the router */
    onPremisesCidrBlocks: Type.Array(Type.String()),
    /** the router's own route table (GET /v1/route-tables/:id; routes towards its peered VPCs go there) */
    routeTableId: Type.String(),
    allowedPeerAccountIds: Type.Array(Type.String()),
    ownerRef: Type.Optional(Type.String()),
    status: oneOf(["Available"] as const),
    createdAt: isoTime,
    updatedAt: isoTime,
  },
  closed,
);

export const borderRouterListSchema = Type.Object({ borderRouters: Type.Array(borderRouterSchema) }, closed);
export const borderRouterListQuery = Type.Object({ region: Type.Optional(str(64)) }, closed);

export const createBorderRouterBody = Type.Object(
  {
    region: str(64),
    vlanId: Type.Integer(),
    interconnectCidrBlock: str(64),
    localGatewayIp: str(64),
    peerGatewayIp: str(64),
    onPremisesCidrBlocks: Type.Array(str(64), { maxItems: 100 }),
    name: Type.Optional(str(NAME_MAX_LENGTH)),
    tags: Type.Optional(tagsSchema),
    allowedPeerAccountIds: Type.Optional(allowedPeersSchema),
    ownerRef: Type.Optional(str(1024)),
    clientToken: Type.Optional(clientTokenSchema),
  },
  closed,
);

export const updateBorderRouterBody = Type.Object(
  { name: Type.Optional(str(NAME_MAX_LENGTH)), tags: Type.Optional(tagsSchema), allowedPeerAccountIds: Type.Optional(allowedPeersSchema) },
  closed,
);

/**
 * GET /v1/peering-connections/:id/related-routes: every route of the caller's end that points at the
 * peering, with its table and that table's subnets; of the other end only whether a return route exists.
 */
export const relatedRoutesSchema = Type.Object(
  {
    peeringConnectionId: idSchema,
    routes: Type.Array(Type.Object({ destinationCidrBlock: Type.String(), routeTableId: Type.String(), subnetIds: Type.Array(Type.String()) }, closed)),
    peerHasReturnRoute: Type.Boolean(),
  },
  closed,
);
