// Issue 12: recording traffic (test mode), a peering's metrics, and the caller's bill.
import { FastifyInstance } from "fastify";
import { billQuery, billSchema, errorResponses, metricsQuery, metricsSchema, params, recordTrafficBody, trafficSampleSchema } from "../../../contract/schemas";
import type { BillQuery, MetricsQuery, RecordTrafficBody } from "../../../contract/types";
import { ForbiddenError } from "../../../domain";
import { getBill } from "../../usecases/billing";
import { peeringMetrics, recordTraffic } from "../../usecases/traffic";
import { routePlugin } from "../plugins/route-plugin";

export type TrafficRouteOptions = {
  /** POST .../traffic is served only in test mode or with --record-traffic */
  recording: boolean;
  /** with --simulate-traffic: brings the simulated samples up to the server's now before a read */
  catchUp?: () => Promise<void>;
};

type Id = { peeringId: string };

export const trafficRoutes = routePlugin("traffic", async (app: FastifyInstance, opts: TrafficRouteOptions) => {
  const base = "/v1/peering-connections/:peeringId";

  app.post<{ Params: Id; Body: RecordTrafficBody }>(`${base}/traffic`, {
    schema: { tags: ["traffic"], params: params("peeringId"), body: recordTrafficBody, response: { 200: trafficSampleSchema, ...errorResponses } },
    handler: async (req) => {
      if (!opts.recording) {
        throw new ForbiddenError("recording traffic is off; start the server with --record-traffic (or in test mode, --test-clock) to record it");
      }
      return app.usecases.write(req.caller, recordTraffic, req.params.peeringId, req.body);
    },
  });

  app.get<{ Params: Id; Querystring: MetricsQuery }>(`${base}/metrics`, {
    schema: { tags: ["traffic"], params: params("peeringId"), querystring: metricsQuery, response: { 200: metricsSchema, ...errorResponses } },
    handler: async (req) => {
      await opts.catchUp?.();
      return app.usecases.read(req.caller, peeringMetrics, req.params.peeringId, req.query);
    },
  });

  app.get<{ Querystring: BillQuery }>("/v1/bill", {
    schema: { tags: ["traffic"], querystring: billQuery, response: { 200: billSchema, ...errorResponses } },
    handler: async (req) => {
      await opts.catchUp?.();
      return app.usecases.read(req.caller, getBill, req.query);
    },
  });
});
