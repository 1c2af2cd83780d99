import { expect, test } from '@playwright/test';
import { api, expectAccessible, signIn } from './helpers';

test.use({ locale: 'fr-FR' });

test('fix and re-import: the rejected records with their errors on the cells, corrected in the browser, imported again and linked', async ({ page, baseURL }) => {
  const csv = [
    'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
    'demo;Comics;{2C49A114-27B5-5543-BC};W;C;2013/04/01;;600;',
    'zoe;Comics;{2C49A114-27B5-5543-BC};W;C;2013/04/02;;600;',
    'jbell;Comics;{2C49A114-27B5-5543-BC};W;C;2013/02/30;;600;',
    'amartin;Comics;{2C49A114-27B5-5543-BC};W;C;2013/04/03;;600;bad',
    '',
  ].join('\n');
  const original = await api.importFile(baseURL!, 'lesson-stats', Buffer.from(csv), 'webinaire.csv');
  expect(original.counts).toMatchObject({ processed: 4, added: 1, rejected: 3 });

  await signIn(page, undefined, `/#/jobs/${original.id}`);
  const table = page.getByRole('table', { name: '3 enregistrement(s) rejeté(s), avec leurs erreurs' });
  const login = table.getByRole('textbox', { name: 'Ligne 3, colonne user_loginid' });
  await expect(login).toHaveValue('zoe');
  await expect(login).toHaveAttribute('aria-invalid', 'true');
  await expect(login).toHaveAccessibleDescription('Apprenant inconnu « zoe »');
  const date = table.getByRole('textbox', { name: 'Ligne 4, colonne lesson_status_date' });
  await expect(date).toHaveAttribute('aria-invalid', 'true');
  await expect(table.getByRole('textbox', { name: 'Ligne 3, colonne crsvname' })).not.toHaveAttribute('aria-invalid');
  // A code column offers its codes, with their labels in the user's language.
  const ilt = table.getByRole('combobox', { name: 'Ligne 5, colonne ilt_status' });
  await expect(ilt).toHaveAttribute('list', 'codes-ilt_status');
  await expect(page.locator('datalist#codes-lesson_status option[value="C"]')).toHaveText('Terminé');
  await expectAccessible(page, 'fix and re-import (fr)');

  await login.fill('jbell');
  await date.fill('2013/02/28');
  // The third one is left out of the new import.
  await table.getByRole('checkbox', { name: 'Réimporter la ligne 5' }).uncheck();
  await page.getByRole('button', { name: 'Réimporter les 2 enregistrement(s) corrigé(s)' }).click();

  await expect(page).toHaveURL(/#\/import\/\d+$/);
  await expect(page.getByRole('status').filter({ hasText: 'Terminé' })).toBeVisible();
  await expect(page.locator('#count-processed')).toHaveText('2');
  await expect(page.locator('#count-rejected')).toHaveText('0');
  await expect(page.locator('#count-added')).toHaveText('2');
  const fixId = /#\/import\/(\d+)$/.exec(page.url())![1];
  await page.getByRole('link', { name: `Cet import corrige l’import n° ${original.id}` }).click();
  await expect(page.getByRole('heading', { level: 2, name: `Import n° ${original.id}` })).toBeVisible();
  await expect(page.getByRole('link', { name: `Corrigé par l’import n° ${fixId}` })).toBeVisible();

  const { importJob } = await api.gql(baseURL!, 'query ($id: ID!) { importJob(id: $id) { adapter onExisting fixes { id } file { fileName } } }', { id: fixId });
  expect(importJob).toEqual({ adapter: 'lesson-stats', onExisting: 'NEW_SESSION', fixes: { id: original.id }, file: { fileName: `import-${original.id}-corrections.csv` } });
});
