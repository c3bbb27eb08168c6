// The one error handler: every failure leaves as {error:{code,message,details}} with a stable code.
// Details are shown only below 500; a 5xx says nothing about internals (the log has the cause).
import { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isPeerlinkError, NotFoundError, PayloadTooLargeError, PeerlinkError, ValidationError } from "../../domain";

type AjvError = { instancePath?: string; keyword?: string; message?: string; params?: Record<string, unknown> };

function describeValidation(context: string, errors: AjvError[]): PeerlinkError {
  const first = errors[0] ?? {};
  const where = `${context}${first.instancePath ?? ""}`;
  const p = first.params ?? {};
  let message: string;
  if (first.keyword === "additionalProperties") {
    message = `${where} has unknown field "${String(p.additionalProperty)}"; remove it`;
  } else if (first.keyword === "required") {
    message = `${where} is missing required field "${String(p.missingProperty)}"`;
  } else {
    message = `${where} ${first.message ?? "is invalid"}`;
  }
  const field =
    first.keyword === "additionalProperties"
      ? String(p.additionalProperty)
      : first.keyword === "required"
        ? String(p.missingProperty)
        : (first.instancePath ?? "").replace(/^\//, "").split("/")[0] || undefined;
  return new ValidationError(message, {
    ...(field ? { field } : {}),
    errors: errors.slice(0, 10).map((e) => ({ path: `${context}${e.instancePath ?? ""}`, message: e.message ?? "", keyword: e.keyword })),
  });
}

export function toPeerlinkError(err: FastifyError & { validation?: AjvError[]; validationContext?: string }): PeerlinkError | undefined {
  if (isPeerlinkError(err)) return err;
  if (err.validation) return describeValidation(err.validationContext ?? "request", err.validation);
  if (err.code === "FST_ERR_CTP_BODY_TOO_LARGE" || err.statusCode === 413) {
    return new PayloadTooLargeError("request body is larger than 64 KiB; send a smaller body", { limitBytes: 65536 });
  }
  if (typeof err.statusCode === "number" && err.statusCode >= 400 && err.statusCode < 500) {
    // Parser and media-type errors from fastify: their messages describe the request, not the server.
    return new ValidationError(`bad request: ${err.message}`, { reason: err.code ?? "BadRequest" });
  }
  return undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const known = toPeerlinkError(err);
    if (known && known.code === "ServiceUnavailable") {
      return reply.status(503).send({ error: known.toJSON() });
    }
    if (known && known.httpStatus < 500) {
      req.log.info({ code: known.code }, "request refused");
      const wait = known.details.retryAfterSeconds;
      if (known.code === "TooManyRequests" && typeof wait === "number") void reply.header("retry-after", String(wait));
      return reply.status(known.httpStatus).send({ error: known.toJSON() });
    }
    req.log.error({ err }, "request failed");
    return reply.status(500).send({
      error: { code: "InternalError", message: `internal error; quote request id ${req.id} when reporting it`, details: {} },
    });
  });
  app.setNotFoundHandler((req, reply) => {
    const e = new NotFoundError(`no such endpoint: ${req.method} ${req.url.split("?")[0].slice(0, 200)}`);
    return reply.status(404).send({ error: e.toJSON() });
  });
}
