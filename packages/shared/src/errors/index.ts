export interface AppErrorOptions {
  statusCode?: number;
  expose?: boolean;
  retryable?: boolean;
  details?: unknown;
  cause?: unknown;
}

/** The one error shape of the platform: a stable code, an HTTP status, and whether it may be shown or retried. */
export class AppError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly expose: boolean;
  readonly retryable: boolean;
  readonly details: unknown;

  constructor(code: string, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.statusCode = options.statusCode ?? 500;
    this.expose = options.expose ?? this.statusCode < 500;
    this.retryable = options.retryable ?? false;
    this.details = options.details;
  }
}

export class ValidationError extends AppError {
  constructor(message: string, details?: unknown) {
    super('VALIDATION_FAILED', message, { statusCode: 400, details });
  }
}

export class NotFoundError extends AppError {
  constructor(message: string) {
    super('NOT_FOUND', message, { statusCode: 404 });
  }
}

export class UnauthorizedError extends AppError {
  constructor(message = 'Authentication required', code = 'UNAUTHORIZED') {
    super(code, message, { statusCode: 401 });
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'Not allowed') {
    super('FORBIDDEN', message, { statusCode: 403 });
  }
}

export class ConflictError extends AppError {
  constructor(message: string, code = 'CONFLICT') {
    super(code, message, { statusCode: 409 });
  }
}

/** A dependency (NATS peer, database, S3, Sobrus) failed or timed out; trying again later may work. */
export class UnavailableError extends AppError {
  constructor(code: string, message: string, cause?: unknown) {
    super(code, message, { statusCode: 503, expose: true, retryable: true, cause });
  }
}

/** Coerces anything thrown into an Error, keeping the original as the cause. */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === 'string') return new Error(value);
  try {
    return new Error(JSON.stringify(value), { cause: value });
  } catch {
    return new Error(String(value), { cause: value });
  }
}
