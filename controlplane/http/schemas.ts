// TEMP (issue 9 merge): the schemas live in contract/schemas.ts; route imports move there after the merge.
export * from "../../contract/schemas";
