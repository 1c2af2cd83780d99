import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import express from 'express';
import { findWebRoot, webRouter } from '../../src/http/web.router';
import { build, type TestApp } from '../helpers/build';

describe('the web wizard router', () => {
  let root: string;
  let server: http.Server;
  let url: string;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-import-web-'));
    fs.mkdirSync(path.join(root, '.vite'));
    fs.mkdirSync(path.join(root, 'assets'));
    fs.writeFileSync(path.join(root, '.vite', 'manifest.json'), '{}');
    fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>wizard</title>');
    fs.writeFileSync(path.join(root, 'assets', 'app-abc123.js'), 'console.log(1)');
    const app = express();
    app.use(webRouter(root));
    server = app.listen(0);
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => {
    server?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('finds only a built wizard (its Vite manifest), not the sources', () => {
    expect(findWebRoot([path.resolve(__dirname, '../../web'), root])).toBe(root);
    expect(findWebRoot([path.resolve(__dirname, '../../web')])).toBeNull();
  });

  test('serves index.html at / and for any page path (SPA fallback), revalidated', async () => {
    for (const page of ['/', '/jobs', '/jobs/12', '/import/7']) {
      const res = await fetch(`${url}${page}`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<title>wizard</title>');
    }
  });

  test('serves hashed assets for good, and 404 for a missing one', async () => {
    const res = await fetch(`${url}/assets/app-abc123.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${url}/assets/nope.js`)).status).toBe(404);
  });

  test('never answers the server paths, nor any other path', async () => {
    for (const page of ['/graphql', '/imports/1/log.txt', '/adapters/x/example.csv', '/healthz', '/metrics', '/uploads/abc', '/jobs/x', '/index.html/x']) {
      expect((await fetch(`${url}${page}`, { headers: { accept: 'text/html' } })).status).toBe(404);
    }
  });
});

describe('in the service', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await build();
  });
  afterAll(() => app?.close());

  test('the API paths keep their own answers next to the wizard', async () => {
    const page = await fetch(`${app.url}/`, { headers: { accept: 'text/html' } });
    // The built wizard, or (before `npm run build`) a message saying how to build it.
    expect([200, 404]).toContain(page.status);
    if (page.status === 404) expect(await page.text()).toContain('npm run build');
    expect((await fetch(`${app.url}/healthz`, { headers: { accept: 'text/html' } })).status).toBe(200);
    const graphql = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(graphql.status).toBe(401);
    expect((await fetch(`${app.url}/metrics`, { headers: { accept: 'text/html' } })).status).toBe(401);
    expect((await fetch(`${app.url}/imports/1/log.txt`, { headers: { accept: 'text/html' } })).status).toBe(401);
  });

  test('me: the caller, for a front-end to show what its role allows', async () => {
    expect((await app.gql('{ me { name role } }')).data.me).toEqual({ name: 'ADMIN_TOKEN', role: 'ADMIN' });
    const created = await app.gql('mutation { createToken(name: "reader", role: VIEWER) { token } }');
    const viewer = await app.gql('{ me { name role } }', {}, { token: created.data.createToken.token });
    expect(viewer.data.me).toEqual({ name: 'reader', role: 'VIEWER' });
    expect((await app.gql('{ me { name } }', {}, { token: null })).status).toBe(401);
  });
});
