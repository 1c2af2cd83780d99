import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/**
 * Where `npm run build` put the web wizard (Vite's output, marked by its manifest): next to the
 * compiled server (dist/web), or under dist/ when the server runs from its sources (tests).
 */
export function findWebRoot(candidates = [path.resolve(__dirname, '../../web'), path.resolve(__dirname, '../../dist/web')]): string | null {
  return candidates.find((dir) => fs.existsSync(path.join(dir, '.vite', 'manifest.json'))) ?? null;
}

/**
 * The wizard's own pages as paths (it routes in the hash: `/jobs/12` opens as `/#/jobs/12`). Only
 * these get index.html: any other path stays a 404, so that nothing looks served that is not
 * (the uploads under DATA_DIR, a mistyped download).
 */
const pagePaths = /^\/(?:(?:jobs|import)(?:\/\d{1,10})?\/?)?$/;

/**
 * The web wizard at `/`: its built files, and index.html for its pages typed as paths (SPA
 * fallback). Hashed assets are cached for good; index.html is revalidated, so a new build shows
 * at once.
 */
export function webRouter(root: string | null): Router {
  const router = Router();
  if (!root) {
    router.get('/', (_req, res) => {
      res.status(404).type('text/plain').send('The web wizard is not built: run `npm run build` (npm start does it).\n');
    });
    return router;
  }
  const index = path.join(root, 'index.html');
  const pageHeaders = (res: express.Response) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; style-src 'self'; frame-ancestors 'none'");
  };
  router.use('/assets', express.static(path.join(root, 'assets'), { immutable: true, maxAge: '1y', index: false }));
  router.get(pagePaths, (req, res, next) => {
    if (!req.accepts('html')) return next();
    pageHeaders(res);
    res.sendFile(index, (error) => error && next(error));
  });
  return router;
}
