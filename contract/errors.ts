// Errors of a control-plane call, undici style: one base class, one subclass per stable code. The code
// is the server's (domain/errors.ts) or one of the client's own (no answer, no known body).
import { ERROR_CODES, type ErrorCode } from "../domain";

/**
 * Codes only a client can produce: the server never answered, or answered without a contract body; or an
 * existing resource adopted by id (`importId`) is not what the program declares.
 */
export const CLIENT_ERROR_CODES = ["NetworkError", "Timeout", "UnexpectedResponse", "ClientError", "ImportMismatch"] as const;
export type ApiErrorCode = ErrorCode | (typeof CLIENT_ERROR_CODES)[number];

export interface ApiErrorOptions {
  httpStatus?: number;
  details?: Record<string, unknown>;
  /** What to do, appended to the message unless the server already said it. */
  hint?: string;
}

/** A failed control-plane call: "<operation>: <Code>: <server message>[; <what to do>]". Never holds the key. */
export class PeerlinkApiError extends Error {
  readonly code: ApiErrorCode;
  readonly httpStatus?: number;
  readonly details: Record<string, unknown>;
  readonly operation: string;
  readonly serverMessage: string;
  constructor(operation: string, code: ApiErrorCode, serverMessage: string, opts: ApiErrorOptions = {}) {
    const hint = opts.hint && !serverMessage.includes(opts.hint) ? `; ${opts.hint}` : "";
    super(`${operation}: ${code}: ${serverMessage}${hint}`);
    this.name = new.target.name;
    this.code = code;
    this.httpStatus = opts.httpStatus;
    this.details = opts.details ?? {};
    this.operation = operation;
    this.serverMessage = serverMessage;
  }
}

type Sub = new (operation: string, serverMessage: string, opts?: ApiErrorOptions) => PeerlinkApiError;
function sub(code: ApiErrorCode): Sub {
  return class extends PeerlinkApiError {
    constructor(operation: string, serverMessage: string, opts?: ApiErrorOptions) {
      super(operation, code, serverMessage, opts);
    }
  };
}

// The codes callers branch on, by name; every other code has its class in API_ERRORS too.
export const NotFoundApiError = sub("NotFound");
export const ForbiddenApiError = sub("Forbidden");
export const UnauthorizedApiError = sub("Unauthorized");
export const ValidationApiError = sub("ValidationError");
export const InvalidStateApiError = sub("InvalidState");
export const PeeringNotActiveApiError = sub("PeeringNotActive");
export const IdempotencyConflictApiError = sub("IdempotencyConflict");
export const InternalApiError = sub("InternalError");
export const NetworkApiError = sub("NetworkError");
export const TimeoutApiError = sub("Timeout");
export const UnexpectedResponseApiError = sub("UnexpectedResponse");
export const ClientApiError = sub("ClientError");
export const ImportMismatchApiError = sub("ImportMismatch");

const NAMED: Partial<Record<ApiErrorCode, Sub>> = {
  NotFound: NotFoundApiError,
  Forbidden: ForbiddenApiError,
  Unauthorized: UnauthorizedApiError,
  ValidationError: ValidationApiError,
  InvalidState: InvalidStateApiError,
  PeeringNotActive: PeeringNotActiveApiError,
  IdempotencyConflict: IdempotencyConflictApiError,
  InternalError: InternalApiError,
  NetworkError: NetworkApiError,
  Timeout: TimeoutApiError,
  UnexpectedResponse: UnexpectedResponseApiError,
  ClientError: ClientApiError,
  ImportMismatch: ImportMismatchApiError,
};

/** One class per stable code. */
export const API_ERRORS = Object.fromEntries(
  [...ERROR_CODES, ...CLIENT_ERROR_CODES].map((code) => {
    const cls = NAMED[code] ?? sub(code);
    Object.defineProperty(cls, "name", { value: `${code.endsWith("Error") ? code.slice(0, -5) : code}ApiError` });
    return [code, cls];
  }),
) as Record<ApiErrorCode, Sub>;

export function isApiErrorCode(code: string): code is ApiErrorCode {
  return code in API_ERRORS;
}

/** The error of `code`, as its own class; an unknown server code is an UnexpectedResponse. */
export function apiError(operation: string, code: string, serverMessage: string, opts: ApiErrorOptions = {}): PeerlinkApiError {
  if (!isApiErrorCode(code)) return new UnexpectedResponseApiError(operation, `${code}: ${serverMessage}`, opts);
  return new API_ERRORS[code](operation, serverMessage, opts);
}

export function isApiError(e: unknown, code?: ApiErrorCode): e is PeerlinkApiError {
  return e instanceof PeerlinkApiError && (code === undefined || e.code === code);
}
