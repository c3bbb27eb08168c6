// One peering: its facts, related routes (why traffic does or does not flow), metrics charts with a
// time-range picker (uPlot), and its cost: the estimate at the cap and the past days' bills.
import uPlot from "uplot";
import { actionButtons } from "./actions";
import { ApiError, api, endName, ends, type Metrics, type Peering } from "./api";
import { fmtTime, h, replaceChildren, stateClass } from "./dom";

const RANGES: [string, string][] = [
  ["1h", "Last hour"],
  ["6h", "Last 6 hours"],
  ["24h", "Last 24 hours"],
  ["7d", "Last 7 days"],
  ["30d", "Last 30 days"],
];

let charts: uPlot[] = [];
let refresh: ReturnType<typeof setTimeout> | undefined;
/** How often an open peering page reads its metrics again (a sample covers 5 minutes). */
const REFRESH_MS = 60_000;
export function disposeCharts(): void {
  clearTimeout(refresh);
  for (const c of charts) c.destroy();
  charts = [];
}

function facts(p: Peering): HTMLElement {
  const { local, peer } = ends(p);
  const end = (e: typeof local) => `${endName(e)} in ${e.region ?? "(hidden until accepted)"}${e.cidrBlock ? `, ${e.cidrBlock}` : ""} (account ${e.accountId})`;
  const est = p.costEstimate;
  const rows: [string, Node | string][] = [
    ["ID", h("span", { class: "mono" }, p.peeringId)],
    ["Status", h("span", { class: `state ${stateClass(p.status)}`, id: "detail-status" }, p.status)],
    ["Your role", p.role],
    ["Your end", end(local)],
    ["Peer end", end(peer)],
    ["Bandwidth", p.crossRegion ? `${p.bandwidthMbps ?? "?"} Mbps (cross-region)` : "regional (no cap, free)"],
    [
      "Estimate",
      est
        ? est.priced
          ? `${est.dailyCost} ${est.currency ?? "CNY"} a day at ${est.peakBandwidthMbps} Mbps (${est.tier})`
          : `not priced: ${est.reason}`
        : "none shown to you",
    ],
    ["Created", fmtTime(p.createdAt)],
  ];
  if (p.expiresAt) rows.push(["Expires", fmtTime(p.expiresAt)]);
  return h("dl", { class: "facts" }, ...rows.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]));
}

async function relatedRoutes(p: Peering, into: HTMLElement): Promise<void> {
  const r = await api.relatedRoutes(p.peeringId);
  const { peer } = ends(p);
  const local = r.routes.length > 0;
  const verdict =
    local && r.peerHasReturnRoute
      ? h("p", { class: "state-ok", id: "routing-verdict" }, "Routes exist on both sides: traffic can flow both ways.")
      : h(
          "p",
          { class: "warn", id: "routing-verdict" },
          !local && !r.peerHasReturnRoute
            ? "No route on either side: no traffic flows."
            : !local
              ? "One-sided: the peer has a route to you, but your VPC has no route back through this peering."
              : `One-sided: your route leads there, but ${peer.accountId === ends(p).local.accountId ? "the peer VPC" : `account ${peer.accountId}`} has no return route.`,
        );
  replaceChildren(
    into,
    h("h3", { id: "related-routes" }, "Related routes"),
    verdict,
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "related-routes-table" },
        h(
          "thead",
          {},
          h("tr", {}, h("th", { scope: "col" }, "Destination"), h("th", { scope: "col" }, "Route table"), h("th", { scope: "col" }, "Subnets using the table")),
        ),
        h(
          "tbody",
          {},
          ...(r.routes.length
            ? r.routes.map((x) =>
                h(
                  "tr",
                  {},
                  h("td", { class: "mono" }, x.destinationCidrBlock),
                  h("td", { class: "mono" }, x.routeTableId),
                  h("td", { class: "mono" }, x.subnetIds.join(", ") || "none"),
                ),
              )
            : [h("tr", {}, h("td", { colspan: 3 }, "No route of yours goes through this peering."))]),
        ),
      ),
    ),
  );
}

/** Appends a figure to the grid, then draws into it at the width the grid gave it. */
function chart(grid: HTMLElement, title: string, id: string, m: Metrics, series: { label: string; values: number[]; stroke: string }[], unit: string): void {
  const fig = h("figure", { id, "aria-label": title }, h("figcaption", {}, title));
  grid.append(fig);
  const xs = m.points.map((pt) => Date.parse(pt.start) / 1000);
  const peak = (v: number[]) => (v.length ? Math.max(...v) : 0);
  fig.append(h("p", { class: "muted" }, series.map((s) => `${s.label}: peak ${peak(s.values).toFixed(2)} ${unit}`).join("; ")));
  const plot = new uPlot(
    {
      width: Math.max(240, fig.clientWidth - 20),
      height: 200,
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2 }))],
      axes: [{}, { label: unit, size: 60 }],
      scales: { x: { time: true } },
    },
    [xs, ...series.map((s) => s.values)],
    fig,
  );
  charts.push(plot);
}

async function metrics(p: Peering, into: HTMLElement, since: string): Promise<void> {
  disposeCharts();
  const picker = h("select", { id: "metrics-range" }, ...RANGES.map(([v, label]) => h("option", { value: v, selected: v === since }, label)));
  picker.addEventListener("change", () => void metrics(p, into, picker.value));
  const head = [h("h3", { id: "metrics" }, "Metrics"), h("div", { class: "filters" }, h("label", { for: "metrics-range" }, "Time range", picker))];
  if (!p.crossRegion) {
    replaceChildren(into, h("h3", { id: "metrics" }, "Metrics"), h("p", { class: "muted" }, "Regional peerings are not monitored (they are free)."));
    return;
  }
  let m: Metrics;
  try {
    m = await api.metrics(p.peeringId, since);
  } catch (e) {
    replaceChildren(into, ...head, h("p", { class: "error" }, e instanceof ApiError ? e.message : String(e)));
    return;
  }
  const grid = h("div", { class: "charts" });
  replaceChildren(
    into,
    ...head,
    h(
      "p",
      { class: "muted", id: "metrics-summary" },
      `${m.points.length} points from ${fmtTime(m.from)} to ${fmtTime(m.to)}, every ${m.stepSeconds / 60} minutes; cap ${m.bandwidthMbps ?? "?"} Mbps. Updated every minute.`,
    ),
    grid,
  );
  const col = <K extends keyof Metrics["points"][number]>(k: K) => m.points.map((pt) => Number(pt[k]));
  chart(
    grid,
    "Bandwidth (Mbps)",
    "chart-bandwidth",
    m,
    [
      { label: "out", values: col("outMbps"), stroke: "#0a58ca" },
      { label: "in", values: col("inMbps"), stroke: "#1a7f37" },
    ],
    "Mbps",
  );
  chart(
    grid,
    "Packets",
    "chart-packets",
    m,
    [
      { label: "out", values: col("packetsOut"), stroke: "#0a58ca" },
      { label: "in", values: col("packetsIn"), stroke: "#1a7f37" },
    ],
    "packets",
  );
  chart(grid, "Loss (%)", "chart-loss", m, [{ label: "loss", values: col("lossRatePercent"), stroke: "#cf222e" }], "%");
  if (m.points.length === 0) grid.before(h("p", { class: "muted" }, "No traffic recorded in this range yet."));
  // Watching: the charts follow new samples while the page stays open (and the picker keeps its choice).
  refresh = setTimeout(() => {
    if (into.isConnected && document.activeElement !== picker) void metrics(p, into, picker.value);
  }, REFRESH_MS);
}

/** This month and the two before it (UTC), newest first: the bills the page offers. */
function recentMonths(): string[] {
  const now = new Date();
  return [0, 1, 2].map((back) => new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7));
}

async function cost(p: Peering, into: HTMLElement, month = recentMonths()[0]): Promise<void> {
  const head = h("h3", { id: "cost" }, "Cost");
  if (p.role !== "initiator") {
    replaceChildren(
      into,
      head,
      h("p", { class: "muted" }, `The initiator (account ${p.requester.accountId}) pays for this peering; your bill has no line for it.`),
    );
    return;
  }
  if (!p.crossRegion) {
    replaceChildren(into, head, h("p", {}, "Regional peering: free."));
    return;
  }
  const bill = await api.bill(month).catch(() => undefined);
  const picker = h("select", { id: "bill-month" }, ...recentMonths().map((m) => h("option", { value: m, selected: m === month }, m)));
  picker.addEventListener("change", () => void cost(p, into, picker.value));
  const lines = (bill?.month?.days ?? []).flatMap((d) => d.lines.filter((l) => l.peeringId === p.peeringId).map((l) => ({ date: d.date, final: d.final, l })));
  replaceChildren(
    into,
    head,
    h(
      "p",
      {},
      p.costEstimate?.priced
        ? `Estimate at the cap: ${p.costEstimate.dailyCost} ${p.costEstimate.currency ?? "CNY"} a day.`
        : `Estimate: ${p.costEstimate?.reason ?? "none"}`,
    ),
    h("div", { class: "filters" }, h("label", { for: "bill-month" }, "Bills of", picker)),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "bill-table" },
        h("caption", { class: "muted", style: "text-align:left;padding:6px 10px" }, `Bills of ${month} (UTC days)`),
        h("thead", {}, h("tr", {}, ...["Day", "Peak", "Tier", "Amount"].map((c) => h("th", { scope: "col" }, c)))),
        h(
          "tbody",
          {},
          ...(lines.length
            ? lines.map(({ date, final, l }) =>
                h(
                  "tr",
                  {},
                  h("td", {}, date, final ? "" : " (so far)"),
                  h("td", {}, l.peakMbps === undefined ? "" : `${l.peakMbps.toFixed(3)} Mbps ${l.peakDirection ?? ""}`),
                  h("td", {}, l.tier ?? l.kind),
                  h("td", {}, l.amount !== undefined ? `${l.amount} ${l.currency ?? "CNY"}` : (l.reason ?? "")),
                ),
              )
            : [h("tr", {}, h("td", { colspan: 4 }, "No bill line for this peering this month yet."))]),
        ),
      ),
    ),
  );
}

export async function renderDetail(main: HTMLElement, id: string): Promise<void> {
  const p = await api.peering(id);
  const routesBox = h("section", { "aria-labelledby": "related-routes" });
  const metricsBox = h("section", { "aria-labelledby": "metrics" });
  const costBox = h("section", { "aria-labelledby": "cost" });
  replaceChildren(
    main,
    h("p", {}, h("a", { href: "#/peerings" }, "← All peerings")),
    h("h2", {}, `Peering ${p.name || p.peeringId}`),
    facts(p),
    h("div", { class: "filters", style: "margin-top:12px" }, ...actionButtons(p, () => void renderDetail(main, id))),
    routesBox,
    metricsBox,
    costBox,
  );
  await Promise.all([
    relatedRoutes(p, routesBox).catch((e) => replaceChildren(routesBox, h("p", { class: "error" }, String(e.message ?? e)))),
    metrics(p, metricsBox, "24h"),
    cost(p, costBox).catch((e) => replaceChildren(costBox, h("p", { class: "error" }, String(e.message ?? e)))),
  ]);
}
