import { expect, test } from '@playwright/test';
import { api, expectAccessible, signIn } from './helpers';

test.use({ locale: 'en-US' });

test('undo from the job page: the conflicts choice, a dry run first, then the undo and its own page', async ({ page, baseURL }) => {
  const imported = await api.importFile(baseURL!, 'learners', Buffer.from('user_loginid;firstname\nundo-ui-1;One\nundo-ui-2;Two\n'), 'undo-ui.csv');
  expect(imported.counts).toMatchObject({ added: 2 });

  await signIn(page, undefined, `/#/jobs/${imported.id}`);
  await page.getByRole('button', { name: 'Undo this import' }).click();
  await expect(page.getByRole('radio', { name: /^Refuse/ })).toBeChecked();
  await page.getByRole('radio', { name: /^Skip/ }).check();
  await page.getByRole('button', { name: 'Dry run first' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'The undo would delete 2 rows and give 0 back their previous values; 0 conflicts.' })).toBeVisible();
  await expectAccessible(page, 'undo (en)');
  // The dry run changed nothing: the import is still there.
  expect((await api.waitForJob(baseURL!, imported.id)).status).toBe('SUCCEEDED');

  await page.getByRole('button', { name: 'Undo the import now' }).click();
  await expect(page).toHaveURL(/#\/jobs\/\d+$/);
  await expect(page.getByRole('link', { name: `This job undoes import #${imported.id}` })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
  // The undo job's own counters, not an import's.
  await expect(page.locator('#count-deleted')).toHaveText('2');
  await expect(page.locator('#count-deleted').locator('xpath=preceding-sibling::dt')).toHaveText('Deleted (added by the import)');
  await expect(page.locator('#count-conflicts')).toHaveText('0');
  await expect(page.locator('#count-added')).toHaveCount(0);
  await page.getByRole('link', { name: `This job undoes import #${imported.id}` }).click();
  await expect(page.getByRole('link', { name: /^Undone by job #\d+$/ })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Undo this import' })).toHaveCount(0);
});
