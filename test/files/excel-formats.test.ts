import iconv from 'iconv-lite';
import { TestKit } from '../../src/testing';

/**
 * The same twenty rows as Excel (French locale) saves them: "CSV (séparateur: point-virgule)"
 * in Windows-1252, "CSV UTF-8" with a BOM, and "Unicode text" (UTF-16LE with BOM, tab-separated).
 * All three must import to identical data.
 */
const people = [
  ['zoé.martin', 'Zoé', 'Martin'], ['francois', 'François', 'Dupré'], ['oeil', 'Œdipe', 'Lefèvre'],
  ['gaelle', 'Gaëlle', 'Müller'], ['noel', 'Noël', "L'Hôte"], ['ines', 'Inès', 'Façade; Jr'],
  ['jose', 'José', 'O"Neil'], ['anais', 'Anaïs', 'Bérénice'], ['cedric', 'Cédric', 'Ærø'],
  ['helene', 'Hélène', 'Côté'],
];
const learnerRows = people.map(([login, first, last], i) => [login, first, last, `${login}@exemple.fr`, i % 3 === 0 ? 'N' : 'Y']);
const items = ['{1B38F003-16A9-4432-AB}', 'quiz_é', 'atelier'];
const lessonRows = Array.from({ length: 20 }, (_, i) => [
  people[i % people.length][0],
  'Comics',
  items[i % 3],
  i % 3 === 0 ? 'L' : i % 3 === 1 ? 'A' : 'T',
  'CPFIN'[i % 5],
  `${String((i % 28) + 1).padStart(2, '0')}/03/2013`,
  i % 4 === 0 ? '' : `${50 + i},5`,
  i % 2 === 0 ? '1800' : '00:30:00',
  i % 3 === 2 ? 'P' : '',
]);

/** Excel's quoting: a cell holding the separator, a quote or a line break is quoted, quotes doubled. */
function excel(rows: string[][], separator: string): string {
  const cell = (value: string) => (value.includes(separator) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  return rows.map((row) => row.map(cell).join(separator)).join('\r\n') + '\r\n';
}

const formats: Record<string, (rows: string[][]) => Buffer> = {
  'CSV (séparateur: point-virgule), Windows-1252': (rows) => iconv.encode(excel(rows, ';'), 'windows-1252'),
  'CSV UTF-8 with BOM': (rows) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(excel(rows, ';'))]),
  'Unicode text (UTF-16LE, tab)': (rows) => Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(excel(rows, '\t'), 'utf-16le')]),
};

const learnersHeader = ['user_loginid', 'firstname', 'lastname', 'email', 'available'];
const lessonHeader = ['user_loginid*', 'crsvname*', 'lsnvname*', 'lnk_type*', 'lesson_status*', 'lesson_status_date', 'lesson_score', 'lesson_time', 'ilt_status'];
const catalog = 'crsvname;course_title;lsnvname;lnk_type;lesson_title\nComics;Comics;{1B38F003-16A9-4432-AB};L;Histoire\nComics;;quiz_é;A;Quiz\nComics;;atelier;T;Atelier\n';

async function importAll(format: (rows: string[][]) => Buffer) {
  const kit = await TestKit.create();
  try {
    const encodings: string[] = [];
    for (const [adapter, rows, run] of [
      ['learners', [learnersHeader, ...learnerRows], {}],
      ['lesson-stats', [lessonHeader, ...lessonRows], { enrollIfNeeded: true }],
    ] as const) {
      const result = await kit.import(adapter, format([...rows]), run);
      if (adapter === 'learners') await kit.import('catalog', catalog);
      expect(result.job).toMatchObject({ status: 'SUCCEEDED', errors: 0, rejected: 0 });
      encodings.push(`${result.file.encoding} ${JSON.stringify(result.file.delimiter)}`);
    }
    const learners = await kit.manager.query('SELECT login_id, first_name, last_name, email, available FROM learners ORDER BY login_id');
    const statistics = await kit.manager.query(
      `SELECT l.login_id, i.code, s.session, s.status, s.status_date, s.score, s.time_spent, s.ilt_status
       FROM lesson_statistics s JOIN learners l ON l.id = s.learner_id JOIN course_items i ON i.id = s.item_id
       ORDER BY l.login_id, i.code, s.session`,
    );
    const normalize = (rows: Array<Record<string, unknown>>) => rows.map((row) => Object.values(row).map((v) => (v === null ? null : String(v))));
    return { encodings, learners: normalize(learners), statistics: normalize(statistics) };
  } finally {
    await kit.close();
  }
}

test('the same twenty rows from three Excel formats import to identical data', async () => {
  const results = [];
  for (const format of Object.values(formats)) results.push(await importAll(format));
  expect(results.map((r) => r.encodings)).toEqual([
    ['windows-1252 ";"', 'windows-1252 ";"'],
    ['utf-8 ";"', 'utf-8 ";"'],
    ['utf-16le "\\t"', 'utf-16le "\\t"'],
  ]);
  const [first, ...others] = results;
  expect(first.learners).toHaveLength(10);
  expect(first.statistics).toHaveLength(20);
  expect(first.learners).toContainEqual(['ines', 'Inès', 'Façade; Jr', 'ines@exemple.fr', '1']);
  expect(first.learners).toContainEqual(['jose', 'José', 'O"Neil', 'jose@exemple.fr', '0']);
  expect(first.statistics).toContainEqual(['zoé.martin', '{1B38F003-16A9-4432-AB}', '1', 'C', '2013-03-01', null, '1800', null]);
  expect(first.statistics).toContainEqual(['francois', 'quiz_é', '1', 'P', '2013-03-02', '51.5', '1800', null]);
  for (const other of others) {
    expect(other.learners).toEqual(first.learners);
    expect(other.statistics).toEqual(first.statistics);
  }
});
