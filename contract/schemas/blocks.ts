// The building blocks of every schema file here (not part of the contract's exports).
import { type Static, type TSchema, Type } from "@sinclair/typebox";

// ---------------------------------------------------------------------------------------------
// Building blocks. `Type.Unsafe` keeps a schema exactly as the server has always published it
// (`enum`, `type: [t, "null"]`, `additionalProperties` maps) while giving it a precise static type.

export const str = (maxLength = 256) => Type.String({ maxLength });
export const isoTime = Type.String({ format: "date-time" });
export const oneOf = <T extends string>(values: readonly T[]) => Type.Unsafe<T>({ type: "string", enum: [...values] });
export const stringOrNull = (extra: Record<string, unknown> = {}) => Type.Unsafe<string | null>({ type: ["string", "null"], ...extra });
export const stringMap = Type.Unsafe<Record<string, string>>({ type: "object", additionalProperties: { type: "string" } });
export const anyDetails = Type.Unsafe<Record<string, unknown>>({ type: "object", additionalProperties: true });
/** An object schema that may also be null: the same schema with `type: ["object", "null"]`. */
export const nullableObject = <S extends TSchema>(s: S) => Type.Unsafe<Static<S> | null>({ ...s, type: ["object", "null"] });
export const closed = { additionalProperties: false } as const;
export const idSchema = Type.String({ minLength: 1, maxLength: 64 });
export const bandwidth = Type.Unsafe<number | null>({ type: ["integer", "null"], minimum: 1, maximum: 1_000_000 });
