// The HTTP contract, declared once with TypeBox: each declaration is both the JSON schema the server
// validates and serialises with (and publishes in /openapi.json) and, through `Static`, the TypeScript
// type every client reads (contract/types.ts). Bodies refuse unknown fields; responses list every field
// so nothing internal is serialised by accident. One file per part of the API.
export * from "./account";
export * from "./border-routers";
export * from "./common";
export * from "./console";
export * from "./reachability";
export * from "./requests";
export * from "./resources";
export * from "./traffic";
