import { expect, test, type Locator, type Page } from '@playwright/test';

test.use({ locale: 'en-US' });

/** Tabs forward until `target` has the focus: the control is reachable by keyboard. */
async function tabTo(page: Page, target: Locator): Promise<void> {
  for (let i = 0; i < 60; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`not reachable with Tab: ${target}`);
}

test('the whole flow by keyboard: sign in, the four steps, the result', async ({ page }) => {
  await page.goto('/');
  await tabTo(page, page.getByLabel('Access token'));
  await page.keyboard.type('ui-test-admin-token-0123456789abcdef');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Choose the file' })).toBeFocused();

  // Step 1: the type with the arrow keys, the file through the file chooser opened with the keyboard.
  await tabTo(page, page.getByRole('radio', { name: 'Import lesson statistics (recommended)' }));
  // The seed's order: lesson statistics, course statistics, the three enrollment types, learners.
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Import learners' })).toBeChecked();
  const input = page.getByLabel('Drop your file or click here');
  await tabTo(page, input);
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Space');
  await (await chooser).setFiles({ name: 'keyboard.csv', mimeType: 'text/csv', buffer: Buffer.from('user_loginid;firstname\nkey1;Kay\nkey2;Lee\n') });
  await expect(page.getByText('File chosen: keyboard.csv')).toBeVisible();
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  // Step 2: change a match with the keyboard, then go on.
  await expect(page.getByRole('heading', { level: 2, name: 'Check the file' })).toBeFocused();
  await tabTo(page, page.getByLabel('File column “firstname”'));
  await tabTo(page, page.getByRole('button', { name: 'Next' }));
  await page.keyboard.press('Enter');

  // Step 3: the options, then start.
  await expect(page.getByRole('heading', { level: 2, name: 'Import options and settings' })).toBeFocused();
  // Learners have no enrollment to make: no such option.
  await expect(page.getByRole('checkbox', { name: 'Enroll the learner in the course if needed' })).toHaveCount(0);
  await tabTo(page, page.getByRole('radio', { name: 'Update the existing record' }));
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('radio', { name: 'Reject the row if the record already exists' })).toBeChecked();
  await tabTo(page, page.getByRole('button', { name: 'Start the import' }));
  await page.keyboard.press('Enter');

  // Step 4: the result is announced, the downloads and reset are reachable.
  await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
  await expect(page.locator('#count-added')).toHaveText('2');
  await tabTo(page, page.getByRole('link', { name: 'Log file' }));
  const log = page.waitForEvent('download');
  await page.keyboard.press('Enter');
  expect((await log).suggestedFilename()).toMatch(/^import-\d+-log\.txt$/);
  await tabTo(page, page.getByRole('button', { name: 'Reset' }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 2, name: 'Choose the file' })).toBeFocused();
});
