// Pure domain rules shared by the control plane and the provider's preview checks. No I/O here.

export * from "./billing";
export * from "./border-routers";
export * from "./cidr";
export * from "./errors";
export * from "./limits";
export * from "./network";
export * from "./peering-state";
export * from "./pricing";
export * from "./quotas";
export * from "./reachability";
export * from "./reachability-ends";
export * from "./regions";
export * from "./rulebook";
export * from "./rules";
export * from "./traffic";
export * from "./traffic-alarms";
export * from "./traffic-simulation";
export * from "./visibility";
export * from "./world";
