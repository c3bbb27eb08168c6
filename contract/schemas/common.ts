// Shapes every route shares: tags, client tokens, errors, validation results, empty bodies, path params.
import { Type } from "@sinclair/typebox";
import { ERROR_CODES, TAG_KEY_MAX_LENGTH, TAG_VALUE_MAX_LENGTH, TAGS_MAX_ENTRIES } from "../../domain";
import { anyDetails, closed, idSchema, oneOf } from "./blocks";

export const tagsSchema = Type.Unsafe<Record<string, string>>({
  type: "object",
  maxProperties: TAGS_MAX_ENTRIES,
  propertyNames: { minLength: 1, maxLength: TAG_KEY_MAX_LENGTH },
  additionalProperties: { type: "string", maxLength: TAG_VALUE_MAX_LENGTH },
});

export const clientTokenSchema = Type.String({ minLength: 1, maxLength: 255 });

export const errorSchema = Type.Object(
  {
    error: Type.Object({ code: oneOf(ERROR_CODES), message: Type.String(), details: anyDetails }, closed),
  },
  closed,
);

export const violationSchema = Type.Object(
  { code: oneOf(ERROR_CODES), message: Type.String(), field: Type.Optional(Type.String()), details: Type.Optional(anyDetails) },
  closed,
);

export const validationResultSchema = Type.Object({ valid: Type.Boolean(), violations: Type.Array(violationSchema) }, closed);

/** Action endpoints (accept, reject, ...) take no fields; a body, if any, must be empty. */
export const emptyBody = Type.Unsafe<Record<string, never> | null>({ type: ["object", "null"], additionalProperties: false, properties: {} });

export const params = (...names: string[]) => Type.Object(Object.fromEntries(names.map((n) => [n, idSchema])), closed);

/** Responses every authenticated route can produce, besides its success codes. */
export const errorResponses = { "4xx": errorSchema, "5xx": errorSchema } as const;
