// The wire types, derived by the compiler from the schemas the server validates with (contract/schemas/).
// Nothing here is written by hand twice: change a schema and every client's type follows.
import type { Static } from "@sinclair/typebox";
import type * as S from "./schemas";

export type Vpc = Static<typeof S.vpcSchema>;
export type Route = Static<typeof S.routeSchema>;
export type RouteTable = Static<typeof S.routeTableSchema>;
export type RouteTableSummary = Static<typeof S.routeTableSummarySchema>;
export type Subnet = Static<typeof S.subnetSchema>;
export type CostEstimate = Static<typeof S.costEstimateSchema>;
export type Peering = Static<typeof S.peeringSchema>;
export type PeeringEnd = Peering["requester"];
export type Quota = Static<typeof S.quotaSchema>;
export type Quotas = Static<typeof S.quotasSchema>;
export type World = Static<typeof S.worldSchema>;
export type Account = Static<typeof S.accountSchema>;
export type Regions = Static<typeof S.regionsSchema>;
export type AuditEvent = Static<typeof S.auditEventSchema>;
export type Violation = Static<typeof S.violationSchema>;
export type Validation = Static<typeof S.validationResultSchema>;
export type ErrorBody = Static<typeof S.errorSchema>;

export type CreateVpcBody = Static<typeof S.createVpcBody>;
export type UpdateVpcBody = Static<typeof S.updateVpcBody>;
export type CreatePeeringBody = Static<typeof S.createPeeringBody>;
export type ValidatePeeringBody = Static<typeof S.validatePeeringBody>;
export type UpdatePeeringBody = Static<typeof S.updatePeeringBody>;
export type CreateRouteBody = Static<typeof S.createRouteBody>;
export type ValidateRouteBody = Static<typeof S.validateRouteBody>;
export type UpdateRouteBody = Static<typeof S.updateRouteBody>;
export type CreateSubnetBody = Static<typeof S.createSubnetBody>;
export type UpdateSubnetBody = Static<typeof S.updateSubnetBody>;
export type CreateRouteTableBody = Static<typeof S.createRouteTableBody>;
export type UpdateRouteTableBody = Static<typeof S.updateRouteTableBody>;
export type BorderRouter = Static<typeof S.borderRouterSchema>;
export type CreateBorderRouterBody = Static<typeof S.createBorderRouterBody>;
export type UpdateBorderRouterBody = Static<typeof S.updateBorderRouterBody>;
export type RelatedRoutes = Static<typeof S.relatedRoutesSchema>;
export type PeeringListQuery = Static<typeof S.peeringListQuery>;
export type EventsQuery = Static<typeof S.eventsQuery>;

/** The state actions of POST /v1/peering-connections/:id/<action>. */
export type PeeringAction = "accept" | "reject" | "enable" | "suspend" | "resume";

// Issue 12: traffic, metrics and the bill
export type AlarmThresholds = Static<typeof S.alarmThresholdsSchema>;
export type RecordTrafficBody = Static<typeof S.recordTrafficBody>;
export type TrafficSample = Static<typeof S.trafficSampleSchema>;
export type MetricsQuery = Static<typeof S.metricsQuery>;
export type Metrics = Static<typeof S.metricsSchema>;
export type MetricsPoint = Static<typeof S.metricsPointSchema>;
export type BillQuery = Static<typeof S.billQuery>;
export type BillLine = Static<typeof S.billLineSchema>;
export type DayBill = Static<typeof S.dayBillSchema>;
export type MonthBill = Static<typeof S.monthBillSchema>;
export type Bill = Static<typeof S.billSchema>;

// Issue 13: the console
export type OpenSessionBody = Static<typeof S.openSessionBody>;
export type ConsoleSession = Static<typeof S.consoleSessionSchema>;
export type SignInLink = Static<typeof S.signInLinkSchema>;
export type PeeringCascade = Static<typeof S.peeringCascadeSchema>;
// Issue 16: reachability
export type ReachabilityBody = Static<typeof S.reachabilityBody>;
export type ReachabilityAnswer = Static<typeof S.reachabilitySchema>;
export type ReachabilityHop = Static<typeof S.reachabilityHopSchema>;
