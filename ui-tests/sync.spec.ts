import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, signIn } from './helpers';

/** A learners export of `count` learners from `sync-0` on. */
const learners = (count: number) =>
  Buffer.from(['user_loginid;firstname;lastname;email;available', ...Array.from({ length: count }, (_, i) => `sync-${i};F${i};L${i};sync-${i}@example.org;`), ''].join('\n'));

/** The four steps for a learners file, as a sync of the data set `ui-sync` with a threshold. */
async function syncInTheWizard(page: Page, file: Buffer, threshold: string): Promise<void> {
  await page.goto('/');
  await page.getByRole('radio', { name: 'Import learners' }).check();
  await page.getByLabel('Drop your file or click here').setInputFiles({ name: 'sis-learners.csv', mimeType: 'text/csv', buffer: file });
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Check the file' })).toBeFocused();
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Import options and settings' })).toBeFocused();
  await page.getByRole('checkbox', { name: 'This file is the whole data set: retire what it no longer has' }).check();
  await page.getByRole('textbox', { name: 'Data set' }).fill('ui-sync');
  await page.getByRole('spinbutton', { name: 'Safety threshold (%)' }).fill(threshold);
  await expectAccessible(page, 'step 3 with a sync');
  await page.getByRole('button', { name: 'Start the import' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
}

test('a sync of learners from the wizard: the second file, without one of them, retires it', async ({ page }) => {
  await signIn(page);
  await syncInTheWizard(page, learners(10), '10');
  await expect(page.locator('#count-added')).toHaveText('10');
  await expect(page.locator('#count-retired')).toHaveText('0');

  await syncInTheWizard(page, learners(9), '20');
  await expect(page.locator('#count-unchanged')).toHaveText('9');
  await expect(page.locator('#count-retired')).toHaveText('1');
  await expect(page.locator('#count-retired').locator('xpath=preceding-sibling::dt')).toHaveText('Retired (not in the file)');
  await expectAccessible(page, 'the result of a sync');
});
