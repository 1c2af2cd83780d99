import type { NextFunction, Request, Response } from 'express';
import type { Principal } from '../auth/token-service';
import { hasRole, type Role } from '../auth/role';
import type { Services } from '../services';

declare module 'express-serve-static-core' {
  interface Request {
    principal?: Principal;
  }
}

/** A GraphQL-shaped error body, so that clients read HTTP and GraphQL errors the same way. */
export function sendError(res: Response, status: number, code: string, message: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code } }] });
}

/** Requires a valid bearer token (with at least `role`) before anything else is read. */
export function requireToken(services: Services, role: Role) {
  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      const principal = await services.tokens.authenticate(req.headers.authorization);
      if (!principal) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendError(res, 401, 'UNAUTHENTICATED', 'A valid token is required: Authorization: Bearer <token>');
      }
      if (!hasRole(principal.role, role)) {
        return sendError(res, 403, 'FORBIDDEN', `This needs the ${role} role`);
      }
      req.principal = principal;
      next();
    } catch (error) {
      next(error);
    }
  };
}

/**
 * File uploads are multipart requests, which browsers send cross-site without a preflight;
 * requiring a custom header (as Apollo's CSRF prevention does) forces one. Checked before
 * the body is read.
 */
export function requireUploadPreflight(req: Request, res: Response, next: NextFunction): void {
  const multipart = (req.headers['content-type'] ?? '').toLowerCase().startsWith('multipart/');
  if (multipart && !req.headers['apollo-require-preflight'] && !req.headers['x-apollo-operation-name']) {
    return sendError(
      res,
      400,
      'BAD_REQUEST',
      'Multipart uploads need a non-empty Apollo-Require-Preflight header (CSRF protection)',
    );
  }
  next();
}
