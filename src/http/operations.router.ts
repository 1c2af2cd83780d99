import { Router } from 'express';
import { Role } from '../auth/role';
import type { Services } from '../services';
import { requireToken } from './auth.middleware';

/**
 * What operators and orchestrators read, on every role's process (a worker serves only this):
 * `/healthz` (no token: load balancers and `docker compose` probe it) answers 200 when the
 * database — and Redis, when used — answer; `/metrics` (Prometheus text format, a viewer
 * token: Prometheus sends it with `authorization: { credentials: ... }`).
 */
export function operationsRouter(services: Services): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const checks = {
      database: services.store.read((m) => m.query('SELECT 1')).then(() => 'ok' as const),
      redis: services.redis ? services.redis.ping().then(() => 'ok' as const) : Promise.resolve(undefined),
    };
    const [database, redis] = await Promise.allSettled([checks.database, checks.redis]);
    const state = (result: PromiseSettledResult<'ok' | undefined>) => (result.status === 'fulfilled' ? result.value : 'unavailable');
    const body = { status: 'ok', role: services.config.PROCESS_ROLE, database: state(database), databaseKind: services.store.kind, redis: state(redis) };
    const healthy = body.database === 'ok' && body.redis !== 'unavailable';
    res.status(healthy ? 200 : 503).json({ ...body, status: healthy ? 'ok' : 'unavailable' });
  });
  router.get('/metrics', requireToken(services, Role.VIEWER), async (_req, res, next) => {
    try {
      const { contentType, body } = await services.metrics.render();
      res.type(contentType).send(body);
    } catch (error) {
      next(error);
    }
  });
  return router;
}
