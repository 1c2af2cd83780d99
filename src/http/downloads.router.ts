import { pipeline } from 'node:stream/promises';
import { Router } from 'express';
import { ZipFile } from 'yazl';
import { Role } from '../auth/role';
import { languageFromHeader } from '../i18n/localized';
import type { Services } from '../services';
import { requireToken, sendError } from './auth.middleware';

/** Plain downloads: the log and rejects file of a job, the example file of an adapter. */
export function downloadsRouter(services: Services): Router {
  const router = Router();
  const { imports, reports, registry } = services;
  router.use(['/imports', '/adapters'], requireToken(services, Role.VIEWER));

  router.get('/imports/:id/log.txt', async (req, res, next) => {
    try {
      const job = /^\d{1,10}$/.test(req.params.id) ? await imports.job(Number(req.params.id)) : null;
      if (!job) return sendError(res, 404, 'NOT_FOUND', `No import job with id ${req.params.id}`);
      res.type('text/plain; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="import-${job.id}-log.txt"`);
      for await (const line of reports.logLines(job, languageFromHeader(req.headers['accept-language']))) {
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
      }
      res.end();
    } catch (error) {
      next(error);
    }
  });

  router.get('/imports/:id/rejects.csv', async (req, res, next) => {
    try {
      const job = /^\d{1,10}$/.test(req.params.id) ? await imports.job(Number(req.params.id)) : null;
      if (!job) return sendError(res, 404, 'NOT_FOUND', `No import job with id ${req.params.id}`);
      res.type('text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="import-${job.id}-rejects.csv"`);
      // A package import: ?file=users.csv gives that member's rejected records.
      const member = typeof req.query.file === 'string' ? req.query.file : undefined;
      const known = member === undefined || (await reports.memberRejects(job)).some((rejects) => rejects.file === member);
      const file = known ? reports.rejectsPath(job, member) : null;
      if (!file) return res.end();
      res.sendFile(file, (error) => error && next(error));
    } catch (error) {
      next(error);
    }
  });

  // A package import: each member's rejects file, named as in the package, ready to be corrected.
  router.get('/imports/:id/rejects.zip', async (req, res, next) => {
    try {
      const job = /^\d{1,10}$/.test(req.params.id) ? await imports.job(Number(req.params.id)) : null;
      if (!job) return sendError(res, 404, 'NOT_FOUND', `No import job with id ${req.params.id}`);
      const zip = new ZipFile();
      for (const rejects of await reports.memberRejects(job)) zip.addFile(rejects.path, rejects.file);
      zip.end();
      res.type('application/zip');
      res.setHeader('Content-Disposition', `attachment; filename="import-${job.id}-rejects.zip"`);
      await pipeline(zip.outputStream, res);
    } catch (error) {
      next(error);
    }
  });

  router.get('/adapters/:name/example.csv', (req, res) => {
    const adapter = registry.get(req.params.name);
    if (!adapter) return sendError(res, 404, 'UNKNOWN_ADAPTER', `Unknown adapter "${req.params.name}"`);
    res.type('text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="${adapter.name}-example.csv"`);
    res.send(imports.exampleCsv(adapter));
  });

  return router;
}
