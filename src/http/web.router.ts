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

/** Paths the wizard never answers: the API, the downloads and the operations endpoints. */
const serverPaths = /^\/(graphql|imports|adapters|healthz|metrics)(\/|$)/;

/**
 * The web wizard at `/`: its built files, and index.html for any other GET that asks for a page
 * (the wizard routes in the URL's hash, this is for a path typed by hand). Hashed assets are
 * cached for good; index.html is revalidated, so a new build shows at once.
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
  router.get(/.*/, (req, res, next) => {
    if (serverPaths.test(req.path) || !req.accepts('html') || path.extname(req.path) !== '') return next();
    pageHeaders(res);
    res.sendFile(index, (error) => error && next(error));
  });
  return router;
}
