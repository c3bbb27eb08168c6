// The account's audit trail and alarms (GET /v1/events), newest first.
import { type AuditEvent, api } from "./api";
import { fmtTime, h, replaceChildren } from "./dom";

const fmtPercent = (v: unknown) => (typeof v === "number" ? `${Number(v.toFixed(2))}%` : "?");

function describe(e: AuditEvent): string {
  const d = e.details ?? {};
  if (e.action === "alarm")
    return `${d.metric ?? "metric"} at ${fmtPercent(d.valuePercent)} crossed the alarm at ${fmtPercent(d.thresholdPercent)} (window from ${d.windowStart ?? "?"})`;
  return Object.entries(d)
    .map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
    .join(", ");
}

export async function renderEvents(main: HTMLElement): Promise<void> {
  const events = (await api.events()).reverse();
  const body = h("tbody", {});
  const only = h("select", { id: "events-filter" }, h("option", { value: "" }, "Everything"), h("option", { value: "alarm" }, "Alarms only"));
  const draw = () => {
    const shown = events.filter((e) => !only.value || e.action === only.value);
    replaceChildren(
      body,
      ...(shown.length
        ? shown.map((e) =>
            h(
              "tr",
              { class: e.action === "alarm" ? "warn" : undefined, "data-action": e.action },
              h("td", { class: "mono" }, fmtTime(e.time)),
              h("td", {}, e.action),
              h("td", {}, `${e.resource.type} `, h("span", { class: "mono" }, e.resource.id)),
              h("td", {}, e.actor.system ? "(control plane)" : `${e.actor.accountId ?? ""}${e.actor.keyId ? ` key ${e.actor.keyId}` : ""}`),
              h("td", {}, describe(e)),
            ),
          )
        : [h("tr", {}, h("td", { colspan: 5 }, "No events yet."))]),
    );
  };
  only.addEventListener("change", draw);
  replaceChildren(
    main,
    h("h2", {}, "Events"),
    h("p", { class: "muted" }, "Every change to your VPCs, routes and peerings (both ends of each peering), and traffic alarms."),
    h("div", { class: "filters" }, h("label", { for: "events-filter" }, "Show", only)),
    h(
      "div",
      { class: "table-wrap" },
      h(
        "table",
        { id: "events-table" },
        h("thead", {}, h("tr", {}, ...["Time (UTC)", "Action", "Resource", "By", "Details"].map((c) => h("th", { scope: "col" }, c)))),
        body,
      ),
    ),
  );
  draw();
}
