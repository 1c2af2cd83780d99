import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

export const ADMIN_TOKEN = 'ui-test-admin-token-0123456789abcdef';

async function gql<T = any>(base: string, query: string, variables: Record<string, unknown> = {}, token = ADMIN_TOKEN): Promise<T> {
  const res = await fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The public API, straight: for what a test prepares or checks behind the browser's back. */
export const api = {
  gql,
  async createToken(base: string, role: 'VIEWER' | 'OPERATOR', name: string): Promise<string> {
    const data = await gql(base, 'mutation ($name: String!, $role: Role!) { createToken(name: $name, role: $role) { token } }', { name, role });
    return data.createToken.token;
  },
  async importFile(base: string, adapter: string, content: Buffer, fileName: string): Promise<any> {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation ($file: Upload!, $adapter: String!) { uploadImportFile(file: $file, adapter: $adapter) { id } }', variables: { file: null, adapter } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([new Uint8Array(content)]), fileName);
    const res = await fetch(`${base}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'apollo-require-preflight': 'true' }, body: form });
    const uploaded = (await res.json()) as any;
    if (uploaded.errors) throw new Error(JSON.stringify(uploaded.errors));
    const run = await gql(base, 'mutation ($id: ID!) { runImport(input: { fileId: $id, options: { allowDuplicate: true } }) { id } }', { id: uploaded.data.uploadImportFile.id });
    return api.waitForJob(base, run.runImport.id);
  },
  async waitForJob(base: string, id: string): Promise<any> {
    for (;;) {
      const { importJob } = await gql(base, 'query ($id: ID!) { importJob(id: $id) { id status counts { processed rejected added updated unchanged errors warnings } } }', { id });
      if (!['PENDING', 'RUNNING'].includes(importJob.status)) return importJob;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  },
};

export async function signIn(page: Page, token = ADMIN_TOKEN, path = '/'): Promise<void> {
  await page.goto(path);
  await page.getByLabel(/Jeton d’accès|Access token/).fill(token);
  await page.getByRole('button', { name: /Se connecter|Sign in/ }).click();
  await expect(page.getByRole('button', { name: /Se déconnecter|Sign out/ })).toBeVisible();
}

/** No WCAG 2.1 A/AA violation on the page as it is now. */
export async function expectAccessible(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const violations = results.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(violations, `axe on ${where}`).toEqual([]);
}
