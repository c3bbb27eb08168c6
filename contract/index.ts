// The control plane's HTTP contract: schemas, the wire types derived from them, and the one typed client.
export * from "./client";
export * from "./errors";
export * from "./lifecycle";
export * from "./transport";
export type * from "./types";
