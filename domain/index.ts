// Pure domain rules shared by the control plane and the provider's preview checks. No I/O here.
export * from "./errors";
export * from "./cidr";
export * from "./regions";
export * from "./pricing";
export * from "./quotas";
export * from "./peering-state";
export * from "./rules";
export * from "./world";
export * from "./rulebook";
export * from "./visibility";
export * from "./limits";
