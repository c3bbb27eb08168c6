// The client token of a create: the Idempotency-Key header or the body's clientToken.
import { FastifyRequest } from "fastify";
import { ValidationError } from "../../domain";

/** The create token from the Idempotency-Key header or the body's clientToken (they must agree). */
export function clientToken(req: FastifyRequest, bodyToken: string | undefined): string | undefined {
  const raw = req.headers["idempotency-key"];
  const header = Array.isArray(raw) ? raw[0] : raw;
  if (header !== undefined && (header.length === 0 || header.length > 255)) {
    throw new ValidationError("Idempotency-Key header must be 1 to 255 characters", { field: "Idempotency-Key" });
  }
  if (header !== undefined && bodyToken !== undefined && header !== bodyToken) {
    throw new ValidationError('Idempotency-Key header and body "clientToken" differ; send one, or the same value in both', {
      field: "clientToken",
    });
  }
  return header ?? bodyToken;
}
