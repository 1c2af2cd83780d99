import { expect, test } from '@playwright/test';
import { api, expectAccessible, signIn } from './helpers';

const learnersCsv = (count: number, from: number) =>
  Buffer.from(`user_loginid;firstname;lastname;email;available\n${Array.from({ length: count }, (_, i) => `hist${from + i};A;B;h${from + i}@example.com;Y\n`).join('')}`);

let bigJobId = '';

test.beforeAll(async ({ baseURL }) => {
  // 21 small learners imports (more than a page of 20), then one with 1,000 bad rows.
  for (let i = 0; i < 21; i++) await api.importFile(baseURL!, 'learners', learnersCsv(2, i * 2), `learners-${i}.csv`);
  const bad = Buffer.from(`user_loginid;email\n${Array.from({ length: 1000 }, (_, i) => `bad${i};not-an-email-${i}\n`).join('')}`);
  const job = await api.importFile(baseURL!, 'learners', bad, 'bad-emails.csv');
  expect(job.counts).toMatchObject({ processed: 1000, rejected: 1000, errors: 1000 });
  bigJobId = job.id;
});

test.describe('history', () => {
  test.use({ locale: 'fr-FR' });

  test('filters by adapter and status, a Relay page at a time', async ({ page }) => {
    await signIn(page, undefined, '/#/jobs');
    await expect(page.getByRole('heading', { level: 2, name: 'Historique des imports' })).toBeVisible();
    await page.getByLabel('Type d’import').selectOption('learners');
    await page.getByLabel('Statut').selectOption('SUCCEEDED');
    const table = page.getByRole('table', { name: 'Imports, du plus récent au plus ancien' });
    await expect(table.getByRole('row')).toHaveCount(21); // a header and 20 jobs
    await expect(page.getByText(/^2[2-9] import\(s\)$/)).toBeVisible();
    await expect(table.getByRole('cell', { name: 'bad-emails.csv' })).toBeVisible();
    await expectAccessible(page, 'history (fr)');
    await page.getByRole('button', { name: 'Page suivante' }).click();
    await expect(page.getByText('Page 2', { exact: true })).toBeVisible();
    await expect(table.getByRole('cell', { name: 'bad-emails.csv' })).toHaveCount(0);
    await page.getByRole('button', { name: 'Page précédente' }).click();
    await expect(table.getByRole('cell', { name: 'bad-emails.csv' })).toBeVisible();
    await page.getByLabel('Statut').selectOption('FAILED');
    await expect(page.getByText('0 import(s)')).toBeVisible();
    await page.getByLabel('Statut').selectOption('');
    await page.getByLabel('Type d’import').selectOption('lesson-stats');
    await expect(table.getByRole('cell', { name: 'learners-0.csv' })).toHaveCount(0);
  });

  test('a job of 1,000 rejected rows: its issues a page of 50 at a time, by severity', async ({ page }) => {
    await signIn(page, undefined, `/#/jobs/${bigJobId}`);
    await expect(page.locator('#count-rejected')).toHaveText(/1\s?000/);
    const issues = page.getByRole('table', { name: /problème\(s\), dans l’ordre du fichier/ });
    await expect(issues.getByRole('row')).toHaveCount(51);
    await expect(page.getByText('Page 1 sur 20')).toBeVisible();
    // The rejected records, to fix, are paged too: 25 of the 1,000.
    await expect(page.getByRole('table', { name: /1\s?000 enregistrement\(s\) rejeté\(s\)/ }).getByRole('row')).toHaveCount(26);
    await expect(issues.getByRole('row').nth(1)).toContainText('2'); // line 2, the first record
    const pager = page.getByRole('navigation', { name: 'Pages des problèmes' });
    const started = Date.now();
    await pager.getByRole('button', { name: 'Page suivante' }).click();
    await expect(page.getByText('Page 2 sur 20')).toBeVisible();
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(issues.getByRole('row').nth(1).getByRole('cell').first()).toHaveText('52');
    await page.getByLabel('Gravité').selectOption('WARNING');
    await expect(page.getByRole('table', { name: /^0 problème\(s\)/ })).toBeVisible();
    await expect(page.getByText('Page 1 sur 1')).toBeVisible();
    await page.getByLabel('Gravité').selectOption('ERROR');
    await expect(page.getByText('Page 1 sur 20')).toBeVisible();
    await expectAccessible(page, 'job page with issues (fr)');
  });
});

test.describe('a viewer', () => {
  test.use({ locale: 'en-US' });

  test('sees the history and a job, and cannot upload, run or cancel', async ({ page, baseURL }) => {
    const token = await api.createToken(baseURL!, 'VIEWER', 'ui viewer');
    await signIn(page, token);
    await expect(page.getByRole('heading', { level: 2, name: 'Import history' })).toBeVisible();
    await expect(page.getByText('Your token is read only: you can look at imports, not start them.')).toBeVisible();
    await expect(page.getByRole('link', { name: 'Import wizard' })).toHaveCount(0);
    await expect(page.locator('input[type=file]')).toHaveCount(0);
    await expect(page.getByText(/ui viewer \(read only\)/)).toBeVisible();
    await expectAccessible(page, 'history for a viewer (en)');
    // A job's page typed as a path: served the wizard, which opens it.
    await page.goto(`/jobs/${bigJobId}`);
    await expect(page).toHaveURL(new RegExp(`/#/jobs/${bigJobId}$`));
    await expect(page.getByRole('heading', { level: 2, name: `Import #${bigJobId}` })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Log file' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Cancel the import' })).toHaveCount(0);
    await expectAccessible(page, 'viewer history (en)');
  });

  test('a bad token is refused with a clear message', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Access token').fill('lmsi_not-a-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert')).toContainText('This token is not valid or has been revoked.');
    await expect(page.getByRole('alert')).toBeFocused();
    await expectAccessible(page, 'sign-in with an error (en)');
  });
});
