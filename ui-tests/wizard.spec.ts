import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { api, expectAccessible, signIn } from './helpers';
import { SLOW_PORT } from './playwright.config';

/** A lesson-statistics file as French Excel saves it: Windows-1252, `;`, dd/mm/yyyy, `87,5`; two bad rows. */
const lessonStats = Buffer.from(
  [
    'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
    'demo;Comics;{1B38F003-16A9-4432-AB};L;P;22/03/2013;87,5;1800;',
    'jbell;Comics;{1B38F003-16A9-4432-AB};L;F;2013/03/25;42;950;',
    'amartin;Comics;{3D5AB225-38C6-6654-CD};T;C;2013/03/29;;01:30:00;P',
    'hélène;Comics;{1B38F003-16A9-4432-AB};L;P;2013/03/22;90;1800;',
    'demo;Comics;{1B38F003-16A9-4432-AB};L;X;2013/02/30;90;1800;',
    '',
  ].join('\r\n'),
  'latin1',
);

/** The README's screenshots: the top of each step. */
async function shot(page: Page, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

test.describe('in French', () => {
  test.use({ locale: 'fr-FR' });

  test('the four steps for lesson statistics, with a Windows-1252 file that has bad rows', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 2, name: 'Connexion' })).toBeVisible();
    await expectAccessible(page, 'sign-in (fr)');
    await signIn(page);
    // Step 1
    await expect(page.getByRole('heading', { level: 2, name: 'Sélection du fichier' })).toBeFocused();
    await expect(page.getByRole('radio', { name: 'Import de statistiques de leçons (recommandé)' })).toBeChecked();
    for (const name of ['Import de statistiques de cours', 'Import d’inscriptions par lot Blackboard Learn', 'Import d’apprenants', 'Import du catalogue (cours et leçons)']) {
      await expect(page.getByRole('radio', { name })).toBeVisible();
    }
    await expect(page.getByText('Taille maximale pour ce type de fichier : 100 Mo.')).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'Entête de colonne sur la première ligne' })).toBeChecked();
    const example = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Cliquez ici pour télécharger un fichier d’exemple' }).click();
    const exampleFile = await example;
    expect(exampleFile.suggestedFilename()).toBe('lesson-stats-example.csv');
    expect(fs.readFileSync(await exampleFile.path(), 'utf8')).toMatch(/^user_loginid\*\tcrsvname\*/);
    // Nothing chosen: the error summary takes focus.
    await page.getByRole('button', { name: 'Suivant' }).click();
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('Choisissez un fichier à importer.');
    await page.getByLabel('Déposez votre fichier ou cliquez ici').setInputFiles({ name: 'statistiques-leçons.csv', mimeType: 'text/csv', buffer: lessonStats });
    await expect(page.getByText('Fichier choisi : statistiques-leçons.csv')).toBeVisible();
    await expectAccessible(page, 'step 1 (fr)');
    await shot(page, 'step-1');
    await page.getByRole('button', { name: 'Suivant' }).click();

    // Step 2
    await expect(page.getByRole('heading', { level: 2, name: 'Vérification du fichier' })).toBeFocused();
    const facts = page.locator('dl.facts');
    await expect(facts).toContainText('windows-1252');
    await expect(facts).toContainText('; (point-virgule)');
    await expect(page.getByLabel('Colonne du fichier « lesson_score »')).toHaveValue('lesson_score');
    const preview = page.getByRole('table', { name: /Aperçu des 5 premiers enregistrements/ });
    await expect(preview.getByRole('cell', { name: 'hélène' })).toBeVisible();
    await expect(preview.getByRole('cell', { name: '87,5' })).toBeVisible();
    await page.getByRole('button', { name: 'Lancer une simulation' }).click();
    const dryRun = page.locator('.dry-run-result');
    await expect(dryRun.getByRole('heading', { name: 'Résultat de la simulation' })).toBeVisible();
    await expect(dryRun.locator('#count-processed')).toHaveText('5');
    await expect(dryRun.locator('#count-rejected')).toHaveText('2');
    await expect(dryRun.getByText('UNKNOWN_LEARNER')).toBeVisible();
    await expectAccessible(page, 'step 2 (fr)');
    await shot(page, 'step-2');
    await page.getByRole('button', { name: 'Suivant' }).click();

    // Step 3
    await expect(page.getByRole('heading', { level: 2, name: 'Options d’import et réglages' })).toBeFocused();
    await expect(page.getByRole('radio', { name: 'Créer une nouvelle session si un statut existe déjà' })).toBeChecked();
    await expect(page.getByRole('radio', { name: 'Rejeter la ligne si un statut existe déjà' })).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Mettre à jour la dernière session si un statut existe déjà' })).toBeVisible();
    await expect(page.getByRole('checkbox', { name: 'Affecter le cours à l’utilisateur si nécessaire' })).not.toBeChecked();
    await expectAccessible(page, 'step 3 (fr)');
    await shot(page, 'step-3');
    await page.getByRole('button', { name: 'Lancer l’import' }).click();

    // Step 4
    await expect(page).toHaveURL(/#\/import\/\d+$/);
    await expect(page.getByRole('heading', { level: 2, name: 'Import' })).toBeVisible();
    await expect(page.getByRole('status').filter({ hasText: 'Terminé' })).toBeVisible();
    await expect(page.getByRole('progressbar', { name: 'Avancement de l’import' })).toHaveAttribute('value', '100');
    const counts = { processed: '5', rejected: '2', added: '3', updated: '0', errors: '3', warnings: '0' };
    const labels = { processed: 'Enregistrements traités', rejected: 'Enregistrements rejetés', added: 'Statistiques ajoutées', updated: 'Statistiques mises à jour', errors: 'Erreurs', warnings: 'Avertissements' };
    for (const [name, value] of Object.entries(counts)) {
      const cell = page.locator(`#count-${name}`);
      await expect(cell).toHaveText(value);
      await expect(cell.locator('xpath=preceding-sibling::dt')).toHaveText(labels[name as keyof typeof labels]);
    }
    await expectAccessible(page, 'step 4 (fr)');
    await shot(page, 'step-4');

    const log = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Fichier journal' }).click();
    const logText = fs.readFileSync(await (await log).path(), 'utf8');
    expect(logText).toContain('ligne\tcolonne\tgravité\tcode\tmessage');
    expect(logText).toMatch(/^5\tuser_loginid\tERROR\tUNKNOWN_LEARNER\t/m);
    expect(logText).toContain('Enregistrements traités: 5');
    const rejects = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Fichier des rejets' }).click();
    const rejectsText = fs.readFileSync(await (await rejects).path(), 'utf8');
    expect(rejectsText.replace(/^\uFEFF/, '').trim().split(/\r?\n/)).toEqual([
      'user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status',
      'hélène;Comics;{1B38F003-16A9-4432-AB};L;P;2013/03/22;90;1800;',
      'demo;Comics;{1B38F003-16A9-4432-AB};L;X;2013/02/30;90;1800;',
    ]);

    await page.getByRole('button', { name: 'Réinitialiser' }).click();
    await expect(page.getByRole('heading', { level: 2, name: 'Sélection du fichier' })).toBeVisible();
    await expect(page.getByText('Aucun fichier choisi.')).toBeVisible();
  });
});

test.describe('in English', () => {
  test.use({ locale: 'en-US' });
  // These bytes imported once already (as the French test does), whatever runs before.
  test.beforeAll(async ({ baseURL }) => {
    await api.importFile(baseURL!, 'lesson-stats', lessonStats, 'earlier.csv');
  });

  test('the four steps in English; the same file again asks before importing it twice', async ({ page }) => {
    await signIn(page);
    await expect(page.getByRole('heading', { level: 2, name: 'Choose the file' })).toBeFocused();
    await expect(page.getByRole('radio', { name: 'Import lesson statistics (recommended)' })).toBeChecked();
    await expect(page.getByRole('checkbox', { name: 'Column headers on the first line' })).toBeChecked();
    await expect(page.getByText('Largest file for this import type: 100 MB.')).toBeVisible();
    await page.getByLabel('Drop your file or click here').setInputFiles({ name: 'lesson-stats.csv', mimeType: 'text/csv', buffer: lessonStats });
    await expectAccessible(page, 'step 1 (en)');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Check the file' })).toBeFocused();
    await expect(page.locator('dl.facts')).toContainText('; (semicolon)');
    await expect(page.getByLabel('File column “lesson_status”')).toHaveValue('lesson_status');
    await expectAccessible(page, 'step 2 (en)');
    await page.getByRole('button', { name: 'Next' }).click();

    await expect(page.getByRole('heading', { level: 2, name: 'Import options and settings' })).toBeFocused();
    await page.getByRole('radio', { name: 'Reject the row if a status already exists' }).check();
    await expect(page.getByRole('checkbox', { name: 'Enroll the learner in the course if needed' })).toBeVisible();
    await expectAccessible(page, 'step 3 (en)');
    await page.getByRole('button', { name: 'Start the import' }).click();
    // These very bytes were imported before: the API refuses, the user decides.
    await expect(page.getByRole('alert')).toBeFocused();
    await expect(page.getByRole('alert')).toContainText('already');
    await page.getByRole('checkbox', { name: 'Import this file anyway, already imported with this import type' }).check();
    await page.getByRole('button', { name: 'Start the import' }).click();

    await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
    // REJECT: the three valid rows already have a status, and are rejected with the two bad ones.
    await expect(page.locator('#count-processed')).toHaveText('5');
    await expect(page.locator('#count-rejected')).toHaveText('5');
    await expect(page.locator('#count-added')).toHaveText('0');
    await expect(page.locator('#count-processed').locator('xpath=preceding-sibling::dt')).toHaveText('Records processed');
    await expect(page.locator('#count-added').locator('xpath=preceding-sibling::dt')).toHaveText('Statistics added');
    await expect(page.getByRole('link', { name: 'Log file' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Rejects file' })).toBeVisible();
    await expectAccessible(page, 'step 4 (en)');

    // The job's page: issues in English, then in French after the switch (the API's messages too).
    await page.getByRole('link', { name: 'Import details (issues, corrections)' }).click();
    const issues = page.getByRole('table', { name: /issue\(s\), in file order/ });
    await expect(issues.getByRole('cell', { name: 'Unknown learner "hélène"' })).toBeVisible();
    await expectAccessible(page, 'job page (en)');
    await page.getByRole('button', { name: 'Français' }).click();
    await expect(page.getByRole('heading', { level: 2, name: /^Import n° \d+$/ })).toBeVisible();
    await expect(page.getByRole('table', { name: /problème\(s\), dans l’ordre du fichier/ }).getByRole('cell', { name: 'Apprenant inconnu « hélène »' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'fr');
    await expectAccessible(page, 'job page (fr)');
    // The choice is kept: a reload stays in French, whatever the browser says.
    await page.reload();
    await expect(page.getByRole('heading', { level: 2, name: /^Import n° \d+$/ })).toBeVisible();
  });
});

test.describe('a long import', () => {
  // The second service: its slow-lesson-stats holds each batch back, so the import is still running
  // when the page comes back, on any machine.
  test.use({ locale: 'fr-FR', baseURL: `http://127.0.0.1:${SLOW_PORT}` });

  test('a reload during the import comes back to it; it can be cancelled there', async ({ page }) => {
    const row = 'demo;Comics;{1B38F003-16A9-4432-AB};L;P;22/03/2013;90;1800;\n';
    const big = Buffer.from(`user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${row.repeat(20_000)}`);
    await signIn(page);
    await page.getByRole('radio', { name: 'Statistiques de leçons, au ralenti (tests UI)' }).check();
    await page.getByLabel('Déposez votre fichier ou cliquez ici').setInputFiles({ name: 'gros-fichier.csv', mimeType: 'text/csv', buffer: big });
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    await expect(page).toHaveURL(/#\/import\/\d+$/);
    const url = page.url();
    const status = page.locator('#job-status');
    const processed = async () => Number((await status.innerText()).match(/([\d\s\u202f]+) enregistrements/)![1].replace(/\D/g, ''));
    await expect(status).toContainText('En cours');
    await expect.poll(processed).toBeGreaterThan(0);
    await page.reload();
    expect(page.url()).toBe(url);
    await expect(page.getByRole('heading', { level: 2, name: 'Import' })).toBeVisible();
    await expect(status).toContainText('En cours');
    // Still live after the reload: the counter moves.
    const before = await processed();
    await expect.poll(processed).toBeGreaterThan(before);
    await page.getByRole('button', { name: 'Annuler l’import' }).click();
    await expect(status).toContainText('Annulé');
    await expect(page.getByRole('button', { name: 'Annuler l’import' })).toHaveCount(0);
    const done = Number((await page.locator('#count-processed').innerText()).replace(/\D/g, ''));
    expect(done).toBeGreaterThan(before);
    expect(done).toBeLessThan(20_000);
  });

  test('without the WebSocket, the progress is read every second instead', async ({ page }) => {
    // The WebSocket is refused, as a proxy that drops it would: the subscription fails.
    await page.routeWebSocket(/\/graphql$/, (ws) => ws.close({ code: 1011, reason: 'no WebSocket here' }));
    const row = 'jbell;Comics;{1B38F003-16A9-4432-AB};L;P;22/03/2013;90;1800;\n';
    const big = Buffer.from(`user_loginid;crsvname;lsnvname;lnk_type;lesson_status;lesson_status_date;lesson_score;lesson_time;ilt_status\n${row.repeat(20_000)}`);
    await signIn(page);
    await page.getByRole('radio', { name: 'Statistiques de leçons, au ralenti (tests UI)' }).check();
    await page.getByLabel('Déposez votre fichier ou cliquez ici').setInputFiles({ name: 'sans-websocket.csv', mimeType: 'text/csv', buffer: big });
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByRole('button', { name: 'Suivant' }).click();
    await page.getByRole('button', { name: 'Lancer l’import' }).click();
    const status = page.locator('#job-status');
    const processed = async () => Number((await status.innerText()).match(/([\d\s\u202f]+) enregistrements/)![1].replace(/\D/g, ''));
    await expect.poll(processed).toBeGreaterThan(0);
    const before = await processed();
    await expect.poll(processed).toBeGreaterThan(before);
    // The live region says the status and tens of percent only.
    await expect(page.getByRole('status').filter({ hasText: 'En cours' })).toHaveText(/^En cours — \d*0 %$/);
    await page.getByRole('button', { name: 'Annuler l’import' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Annulé' })).toBeVisible();
  });
});

test.describe('column matching', () => {
  test.use({ locale: 'en-US' });

  test('a header the adapter does not know: the error summary takes focus, a select maps it (columnMap)', async ({ page, baseURL }) => {
    await signIn(page);
    await page.getByRole('radio', { name: 'Import learners' }).check();
    const csv = 'learner_code;firstname;lastname\nmap1;Mia;Ames\nmap2;Noa;Nash\n';
    await page.getByLabel('Drop your file or click here').setInputFiles({ name: 'own-header.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Next' }).click();
    const summary = page.getByRole('alert');
    await expect(summary).toBeFocused();
    await expect(summary).toContainText('The file cannot be imported as it is');
    await expect(summary).toContainText('MISSING_COLUMN');
    await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
    // The API also guesses another adapter's file; the user may say it is not.
    await expect(summary).toContainText('LIKELY_WRONG_ADAPTER');
    await page.getByRole('checkbox', { name: 'Import this file anyway as “Import learners”' }).check();
    await expect(summary).not.toContainText('LIKELY_WRONG_ADAPTER');
    await expect(summary).toContainText('MISSING_COLUMN');
    const select = page.getByLabel('File column “learner_code”');
    await expect(select).toHaveValue('');
    await select.selectOption('user_loginid');
    await expect(summary).toHaveCount(0);
    await expectAccessible(page, 'step 2 with a column mapped (en)');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start the import' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
    await expect(page.locator('#count-added')).toHaveText('2');
    const jobId = /#\/import\/(\d+)$/.exec(page.url())![1];
    const { importJob } = await api.gql(baseURL!, 'query ($id: ID!) { importJob(id: $id) { options } }', { id: jobId });
    expect(importJob.options).toMatchObject({ columnMap: { learner_code: 'user_loginid' }, allowAdapterMismatch: true });
  });

  test('a close spelling is proposed, shown as such, and sent as columnMap when kept', async ({ page, baseURL }) => {
    await signIn(page);
    await page.getByRole('radio', { name: 'Import learners' }).check();
    const csv = 'user_login_id;First name;Nom\nfuzzy1;Ivy;Irwin\n';
    await page.getByLabel('Drop your file or click here').setInputFiles({ name: 'fuzzy-header.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Next' }).click();
    const select = page.getByLabel('File column “user_login_id”');
    await expect(select).toHaveValue('user_loginid');
    await expect(select).toHaveAccessibleDescription('Proposed from a close spelling (confidence 80 %): check it.');
    await expect(page.getByLabel('File column “First name”')).toHaveValue('firstname');
    await expect(page.getByRole('alert')).toHaveCount(0);
    await expectAccessible(page, 'step 2 with a fuzzy proposal (en)');
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByRole('button', { name: 'Start the import' }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Succeeded' })).toBeVisible();
    const jobId = /#\/import\/(\d+)$/.exec(page.url())![1];
    const { importJob } = await api.gql(baseURL!, 'query ($id: ID!) { importJob(id: $id) { options } }', { id: jobId });
    expect(importJob.options.columnMap).toEqual({ user_login_id: 'user_loginid' });
  });
});
