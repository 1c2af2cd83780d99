import { GraphQLError } from 'graphql';

/** The error codes of the public contract (API.md), carried in `extensions.code`. */
export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'BAD_USER_INPUT'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNKNOWN_ADAPTER'
  | 'DUPLICATE_FILE';

const httpStatus: Partial<Record<ErrorCode, number>> = { UNAUTHENTICATED: 401, PAYLOAD_TOO_LARGE: 413 };

export function apiError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  const status = httpStatus[code];
  return new GraphQLError(message, { extensions: { code, ...extensions, ...(status ? { http: { status } } : {}) } });
}
