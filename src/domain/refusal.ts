// Outcomes a person can cause are values, not exceptions: each carries a stable code and a
// sentence a librarian understands. Only bugs throw.

export type RefusalCode =
  | 'INVALID_INPUT'
  | 'UNAUTHENTICATED'
  | 'BAD_CREDENTIALS'
  | 'FORBIDDEN'
  | 'NOT_OWN_LIBRARY'
  | 'CSRF'
  | 'NOT_FOUND'
  | 'DUPLICATE'
  | 'HOLD_EXISTS'
  | 'HOLD_LIMIT'
  | 'PATRON_BLOCKED'
  | 'PICKUP_NOT_ALLOWED'
  | 'NOT_HOLDABLE'
  | 'AGE_PROTECTED'
  | 'ITEM_IN_TRANSIT'
  | 'HELD_FOR_ANOTHER'
  | 'ALREADY_ON_LOAN'
  | 'NOT_ON_LOAN'
  | 'RENEWAL_REFUSED'
  | 'INVALID_STATE'
  | 'TOO_MANY_ATTEMPTS';

export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The input field at fault, for INVALID_INPUT. */
  field?: string;
  /** Extra facts for the screen (e.g. the patron an item is held for). */
  details?: Record<string, unknown>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function refuse<T = never>(code: RefusalCode, message: string, extra: Omit<Refusal, 'code' | 'message'> = {}): Result<T> {
  return { ok: false, refusal: { code, message, ...extra } };
}

export function invalid<T = never>(field: string, message: string): Result<T> {
  return refuse('INVALID_INPUT', message, { field });
}

export function notFound<T = never>(what: string): Result<T> {
  return refuse('NOT_FOUND', `${what} was not found.`);
}

/** The HTTP status of each refusal (API.md, error table). */
export function statusOf(code: RefusalCode): number {
  switch (code) {
    case 'INVALID_INPUT':
      return 400;
    case 'UNAUTHENTICATED':
    case 'BAD_CREDENTIALS':
      return 401;
    case 'FORBIDDEN':
    case 'NOT_OWN_LIBRARY':
    case 'CSRF':
      return 403;
    case 'NOT_FOUND':
      return 404;
    case 'DUPLICATE':
    case 'HOLD_EXISTS':
    case 'HOLD_LIMIT':
    case 'PATRON_BLOCKED':
    case 'PICKUP_NOT_ALLOWED':
    case 'NOT_HOLDABLE':
    case 'AGE_PROTECTED':
    case 'ITEM_IN_TRANSIT':
    case 'HELD_FOR_ANOTHER':
    case 'ALREADY_ON_LOAN':
    case 'NOT_ON_LOAN':
    case 'RENEWAL_REFUSED':
    case 'INVALID_STATE':
      return 409;
    case 'TOO_MANY_ATTEMPTS':
      return 429;
  }
}
