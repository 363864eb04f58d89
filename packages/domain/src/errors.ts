/**
 * Every failure the product reports has a stable machine code. Codes are grouped by
 * the HTTP/tRPC meaning they carry (`kind`); the API maps kinds to statuses in one place.
 */
export type ErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not_found' | 'gone' | 'conflict' | 'rate_limited' | 'unavailable';

export const ERROR_CODES = {
  'VALIDATION.FAILED': 'invalid',
  'AUTH.NOT_AUTHENTICATED': 'unauthenticated',
  'AUTH.INVALID_CREDENTIALS': 'unauthenticated',
  'AUTH.SESSION_EXPIRED': 'unauthenticated',
  'AUTH.FORBIDDEN': 'forbidden',
  'AUTH.SCOPE_MISSING': 'forbidden',
  'AUTH.ROLE_REQUIRES_ADMIN': 'forbidden',
  'AUTH.TOO_MANY_ATTEMPTS': 'rate_limited',
  'AUTH.INACTIVE_USER': 'forbidden',
  'AUTH.EMAIL_NOT_VERIFIED': 'forbidden',
  'AUTH.RESET_TOKEN_NOT_FOUND': 'not_found',
  'AUTH.RESET_TOKEN_USED_OR_EXPIRED': 'gone',
  'AUTH.VERIFY_TOKEN_NOT_FOUND': 'not_found',
  'AUTH.VERIFY_TOKEN_USED_OR_EXPIRED': 'gone',
  'USER.NOT_FOUND': 'not_found',
  'USER.EMAIL_TAKEN': 'conflict',
  'USER.CURRENT_PASSWORD_WRONG': 'forbidden',
  'USER.FIELD_ADMIN_ONLY': 'forbidden',
  'USER.CANNOT_DEMOTE_SELF': 'conflict',
  'USER.CURRENT_PASSWORD_REQUIRED': 'invalid',
  'TIME.INVALID_DATETIME': 'invalid',
  'TIME.NONEXISTENT_LOCAL_TIME': 'invalid',
  'STAFF.NOT_FOUND': 'not_found',
  'STAFF.NOT_STAFF': 'invalid',
  'AVAILABILITY.NOT_FOUND': 'not_found',
  'AVAILABILITY.INVALID': 'invalid',
  'SLOTS.INVALID_RANGE': 'invalid',
  'APPOINTMENT.NOT_FOUND': 'not_found',
  'APPOINTMENT.INVALID_RANGE': 'invalid',
  'APPOINTMENT.TOO_LONG': 'invalid',
  'APPOINTMENT.TOO_SHORT': 'invalid',
  'APPOINTMENT.TIME_NOT_WHOLE_MINUTE': 'invalid',
  'APPOINTMENT.TOO_SOON': 'invalid',
  'APPOINTMENT.BEYOND_HORIZON': 'invalid',
  'APPOINTMENT.OUTSIDE_AVAILABILITY': 'invalid',
  'APPOINTMENT.SLOT_TAKEN': 'conflict',
  'APPOINTMENT.CLIENT_BUSY': 'conflict',
  'APPOINTMENT.FULLY_BOOKED': 'conflict',
  'APPOINTMENT.DAILY_LIMIT_REACHED': 'conflict',
  'APPOINTMENT.DURATION_MISMATCH': 'invalid',
  'APPOINTMENT.CLIENT_BLOCKED': 'forbidden',
  'APPOINTMENT.CLIENT_REQUIRED': 'invalid',
  'APPOINTMENT.NOT_SCHEDULED': 'conflict',
  'APPOINTMENT.WITHIN_CANCELLATION_WINDOW': 'conflict',
  'APPOINTMENT.NOT_STARTED': 'conflict',
  'APPOINTMENT.CHANGED_CONCURRENTLY': 'conflict',
  'IDEMPOTENCY.KEY_REUSED': 'invalid',
  'CALENDAR.FEED_NOT_FOUND': 'not_found',
  'API_KEY.NOT_FOUND': 'not_found',
  'API_KEY.INVALID': 'invalid',
  'NOTIFICATION.NOT_FOUND': 'not_found',
  'NOTIFICATION.NOT_FAILED': 'conflict',
  'SERVICE.NOT_FOUND': 'not_found',
  'SERVICE.INVALID': 'invalid',
  'SERVICE.UNAVAILABLE': 'unavailable',
  'SERVICE.NOT_OFFERED': 'invalid',
  'SERVICE.DURATION_MISMATCH': 'invalid',
  'WEBHOOK.NOT_FOUND': 'not_found',
  'WEBHOOK.URL_NOT_ALLOWED': 'invalid',
  'WEBHOOK.DELIVERY_NOT_FOUND': 'not_found',
  'WEBHOOK.DELIVERY_NOT_FAILED': 'conflict',
  'MANAGE.NOT_FOUND': 'not_found',
  'MANAGE.LINK_EXPIRED': 'gone',
} as const satisfies Record<string, ErrorKind>;
export type ErrorCode = keyof typeof ERROR_CODES;

export class DomainError extends Error {
  override readonly name = 'DomainError';
  readonly code: ErrorCode;
  /** Extra machine-readable detail, e.g. `{ retry_after_seconds: 30 }`. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.code = code;
    this.details = details;
  }
  get kind(): ErrorKind {
    return ERROR_CODES[this.code];
  }
}
