// Typed errors with stable codes (undici style: one base class, one subclass per code).
// The HTTP layer maps them to {error:{code,message,details}}; the provider rethrows them unchanged.

export const ERROR_HTTP_STATUS = {
  ValidationError: 400,
  PayloadTooLarge: 413,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  PeeringAlreadyExists: 409,
  RouteConflict: 409,
  InvalidState: 409,
  DependencyViolation: 409,
  IdempotencyConflict: 409,
  CidrOverlap: 422,
  PeerCidrOverlap: 422,
  BandwidthRequired: 422,
  BandwidthNotAllowed: 422,
  QuotaExceeded: 422,
  PeeringNotActive: 409,
  PeeringNotAttached: 422,
  RouteOverlapsLocal: 422,
  NonTransitiveRoute: 422,
  NotMonitored: 422,
  VlanInUse: 409,
  RequestTimeout: 408,
  RequestHeadersTooLarge: 431,
  TooManyRequests: 429,
  InternalError: 500,
  ServiceUnavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_HTTP_STATUS;
export const ERROR_CODES = Object.keys(ERROR_HTTP_STATUS) as ErrorCode[];

/** One broken rule. Rule functions return every violation; callers decide whether to throw. */
export type Violation = { code: ErrorCode; message: string; field?: string; details?: Record<string, unknown> };

/** Violations, and the checks that wait for an unknown fact (the rule book adds the rule id). */
export type Findings = { violations: Violation[]; deferred: { subject: string; reason: string }[] };

export class PeerlinkError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  readonly details: Record<string, unknown>;
  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = "PeerlinkError";
    this.code = code;
    this.httpStatus = ERROR_HTTP_STATUS[code];
    this.details = details;
  }
  toJSON(): { code: ErrorCode; message: string; details: Record<string, unknown> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

// One class per code so each is both a value (instanceof) and a type.

export class ValidationError extends PeerlinkError {
  declare readonly code: "ValidationError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("ValidationError", message, details);
    this.name = "ValidationError";
  }
}

export class PayloadTooLargeError extends PeerlinkError {
  declare readonly code: "PayloadTooLarge";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("PayloadTooLarge", message, details);
    this.name = "PayloadTooLargeError";
  }
}

export class UnauthorizedError extends PeerlinkError {
  declare readonly code: "Unauthorized";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("Unauthorized", message, details);
    this.name = "UnauthorizedError";
  }
}

export class ForbiddenError extends PeerlinkError {
  declare readonly code: "Forbidden";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("Forbidden", message, details);
    this.name = "ForbiddenError";
  }
}

export class NotFoundError extends PeerlinkError {
  declare readonly code: "NotFound";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("NotFound", message, details);
    this.name = "NotFoundError";
  }
}

export class PeeringAlreadyExistsError extends PeerlinkError {
  declare readonly code: "PeeringAlreadyExists";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("PeeringAlreadyExists", message, details);
    this.name = "PeeringAlreadyExistsError";
  }
}

export class RouteConflictError extends PeerlinkError {
  declare readonly code: "RouteConflict";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("RouteConflict", message, details);
    this.name = "RouteConflictError";
  }
}

export class InvalidStateError extends PeerlinkError {
  declare readonly code: "InvalidState";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("InvalidState", message, details);
    this.name = "InvalidStateError";
  }
}

export class DependencyViolationError extends PeerlinkError {
  declare readonly code: "DependencyViolation";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("DependencyViolation", message, details);
    this.name = "DependencyViolationError";
  }
}

export class IdempotencyConflictError extends PeerlinkError {
  declare readonly code: "IdempotencyConflict";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("IdempotencyConflict", message, details);
    this.name = "IdempotencyConflictError";
  }
}

export class CidrOverlapError extends PeerlinkError {
  declare readonly code: "CidrOverlap";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("CidrOverlap", message, details);
    this.name = "CidrOverlapError";
  }
}

export class PeerCidrOverlapError extends PeerlinkError {
  declare readonly code: "PeerCidrOverlap";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("PeerCidrOverlap", message, details);
    this.name = "PeerCidrOverlapError";
  }
}

export class BandwidthRequiredError extends PeerlinkError {
  declare readonly code: "BandwidthRequired";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("BandwidthRequired", message, details);
    this.name = "BandwidthRequiredError";
  }
}

export class BandwidthNotAllowedError extends PeerlinkError {
  declare readonly code: "BandwidthNotAllowed";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("BandwidthNotAllowed", message, details);
    this.name = "BandwidthNotAllowedError";
  }
}

export class QuotaExceededError extends PeerlinkError {
  declare readonly code: "QuotaExceeded";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("QuotaExceeded", message, details);
    this.name = "QuotaExceededError";
  }
}

export class PeeringNotActiveError extends PeerlinkError {
  declare readonly code: "PeeringNotActive";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("PeeringNotActive", message, details);
    this.name = "PeeringNotActiveError";
  }
}

export class PeeringNotAttachedError extends PeerlinkError {
  declare readonly code: "PeeringNotAttached";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("PeeringNotAttached", message, details);
    this.name = "PeeringNotAttachedError";
  }
}

export class RouteOverlapsLocalError extends PeerlinkError {
  declare readonly code: "RouteOverlapsLocal";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("RouteOverlapsLocal", message, details);
    this.name = "RouteOverlapsLocalError";
  }
}

export class NonTransitiveRouteError extends PeerlinkError {
  declare readonly code: "NonTransitiveRoute";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("NonTransitiveRoute", message, details);
    this.name = "NonTransitiveRouteError";
  }
}

/** Seed 004 monitors cross-region peerings only: a regional one has no traffic metrics or alarms. */
export class NotMonitoredError extends PeerlinkError {
  declare readonly code: "NotMonitored";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("NotMonitored", message, details);
    this.name = "NotMonitoredError";
  }
}

/** Issue 11: a border router's VLAN id is taken by another border router of the account in the region. */
export class VlanInUseError extends PeerlinkError {
  declare readonly code: "VlanInUse";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("VlanInUse", message, details);
    this.name = "VlanInUseError";
  }
}

export class RequestTimeoutError extends PeerlinkError {
  declare readonly code: "RequestTimeout";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("RequestTimeout", message, details);
    this.name = "RequestTimeoutError";
  }
}

export class RequestHeadersTooLargeError extends PeerlinkError {
  declare readonly code: "RequestHeadersTooLarge";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("RequestHeadersTooLarge", message, details);
    this.name = "RequestHeadersTooLargeError";
  }
}

export class TooManyRequestsError extends PeerlinkError {
  declare readonly code: "TooManyRequests";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("TooManyRequests", message, details);
    this.name = "TooManyRequestsError";
  }
}

export class ServiceUnavailableError extends PeerlinkError {
  declare readonly code: "ServiceUnavailable";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("ServiceUnavailable", message, details);
    this.name = "ServiceUnavailableError";
  }
}

export class InternalError extends PeerlinkError {
  declare readonly code: "InternalError";
  constructor(message: string, details: Record<string, unknown> = {}) {
    super("InternalError", message, details);
    this.name = "InternalError";
  }
}

const CLASSES: Record<ErrorCode, new (message: string, details?: Record<string, unknown>) => PeerlinkError> = {
  ValidationError,
  PayloadTooLarge: PayloadTooLargeError,
  Unauthorized: UnauthorizedError,
  Forbidden: ForbiddenError,
  NotFound: NotFoundError,
  PeeringAlreadyExists: PeeringAlreadyExistsError,
  RouteConflict: RouteConflictError,
  InvalidState: InvalidStateError,
  DependencyViolation: DependencyViolationError,
  IdempotencyConflict: IdempotencyConflictError,
  CidrOverlap: CidrOverlapError,
  PeerCidrOverlap: PeerCidrOverlapError,
  BandwidthRequired: BandwidthRequiredError,
  BandwidthNotAllowed: BandwidthNotAllowedError,
  QuotaExceeded: QuotaExceededError,
  PeeringNotActive: PeeringNotActiveError,
  PeeringNotAttached: PeeringNotAttachedError,
  RouteOverlapsLocal: RouteOverlapsLocalError,
  NonTransitiveRoute: NonTransitiveRouteError,
  NotMonitored: NotMonitoredError,
  VlanInUse: VlanInUseError,
  RequestTimeout: RequestTimeoutError,
  RequestHeadersTooLarge: RequestHeadersTooLargeError,
  TooManyRequests: TooManyRequestsError,
  InternalError,
  ServiceUnavailable: ServiceUnavailableError,
};

/** Builds the typed error for a code (e.g. to rethrow an error body received over HTTP). */
export function errorFromCode(code: string, message: string, details: Record<string, unknown> = {}): PeerlinkError {
  const cls = (CLASSES as Record<string, (typeof CLASSES)[ErrorCode] | undefined>)[code];
  return cls ? new cls(message, details) : new PeerlinkError("InternalError", message, details);
}

/**
 * The error to throw for a non-empty violation list: the first violation decides the code, and
 * details.violations carries all of them so a client sees everything that must change at once.
 */
export function errorFromViolations(violations: Violation[]): PeerlinkError {
  if (violations.length === 0) throw new TypeError("errorFromViolations needs at least one violation");
  const first = violations[0];
  return errorFromCode(first.code, first.message, {
    ...(first.details ?? {}),
    ...(first.field ? { field: first.field } : {}),
    violations,
  });
}

export function throwIfViolations(violations: Violation[]): void {
  if (violations.length > 0) throw errorFromViolations(violations);
}

export function isPeerlinkError(e: unknown): e is PeerlinkError {
  return e instanceof PeerlinkError;
}
