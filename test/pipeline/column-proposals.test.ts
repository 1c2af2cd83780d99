import { AdapterRegistry } from '../../src/adapters/registry';
import { ColumnMatchReason } from '../../src/imports/enums';
import { FUZZY_THRESHOLD, matchSavedMapping, proposeColumns, type SavedMappingRef } from '../../src/pipeline/column-proposals';
import { mapHeader } from '../../src/pipeline/header';

const registry = AdapterRegistry.load();
const lessonStats = registry.get('lesson-stats')!;
const learners = registry.get('learners')!;
const { EXACT, ALIAS, LABEL, NORMALIZED, FUZZY, SAVED_MAPPING, NONE } = ColumnMatchReason;

/** [fileColumn, column, reason, applied] of each proposal. */
const summary = (header: string[], map?: Record<string, string>) =>
  proposeColumns(header, lessonStats, map).map((p) => [p.fileColumn, p.column, p.reason, p.applied]);

describe('proposeColumns', () => {
  test('every reason, with its confidence', () => {
    const proposals = proposeColumns(['user_loginid', 'COURSE_ID', 'Identifiant de la leçon', 'LNK_Type*', 'lesson_statu', 'remarks'], lessonStats);
    expect(proposals).toEqual([
      { fileColumn: 'user_loginid', column: 'user_loginid', reason: EXACT, confidence: 1, applied: true },
      { fileColumn: 'COURSE_ID', column: 'crsvname', reason: ALIAS, confidence: 0.9, applied: true },
      { fileColumn: 'Identifiant de la leçon', column: 'lsnvname', reason: LABEL, confidence: 0.85, applied: true },
      { fileColumn: 'LNK_Type*', column: 'lnk_type', reason: NORMALIZED, confidence: 0.95, applied: true },
      { fileColumn: 'lesson_statu', column: 'lesson_status', reason: FUZZY, confidence: expect.any(Number), applied: false },
      { fileColumn: 'remarks', column: null, reason: NONE, confidence: 0, applied: false },
    ]);
    expect(proposals[4].confidence).toBeGreaterThan(0.6);
    expect(proposals[4].confidence).toBeLessThan(0.8);
  });

  test('case, accents, spaces, quotes and * are ignored; French and English labels both count', () => {
    expect(summary(['  Login apprenant* ', '"IDENTIFIANT DU COURS"', 'identifiant de la lecon', 'Lesson  Type', 'Statut de la leçon'])).toEqual([
      ['Login apprenant*', 'user_loginid', LABEL, true],
      ['"IDENTIFIANT DU COURS"', 'crsvname', LABEL, true],
      ['identifiant de la lecon', 'lsnvname', LABEL, true],
      ['Lesson  Type', 'lnk_type', LABEL, true],
      ['Statut de la leçon', 'lesson_status', LABEL, true],
    ]);
    expect(summary(['Lesson_Status*', 'crsvnamé'])).toEqual([
      ['Lesson_Status*', 'lesson_status', NORMALIZED, true],
      ['crsvnamé', 'crsvname', NORMALIZED, true],
    ]);
  });

  test('a name or alias wins over another column\'s label, as the import reads it', () => {
    // "score" is lesson_score's English and French label, and no other column's name.
    expect(summary(['Score'])).toEqual([['Score', 'lesson_score', LABEL, true]]);
    const { mapping } = mapHeader(['login', 'Identifiant du cours'], lessonStats);
    expect(mapping.positions.slice(0, 2)).toEqual([0, 1]);
  });

  test('fuzzy: spacing and separators, a letter off; below the threshold nothing is proposed', () => {
    expect(summary(['User Login ID', 'crsname', 'lsn', 'time'])).toEqual([
      ['User Login ID', 'user_loginid', FUZZY, false],
      ['crsname', 'crsvname', FUZZY, false],
      ['lsn', null, NONE, false], // too short to guess from
      ['time', null, NONE, false], // "lesson_time" is too far
    ]);
    const exactSpacing = proposeColumns(['User Login ID'], lessonStats)[0];
    expect(exactSpacing.confidence).toBe(0.8); // the same name but for separators: the highest a fuzzy match gets
    expect(FUZZY_THRESHOLD).toBeGreaterThanOrEqual(0.7);
  });

  test('no two file columns get the same adapter column: the first exact one takes it, the closest fuzzy one next', () => {
    expect(summary(['user_loginid', 'Login apprenant'])).toEqual([
      ['user_loginid', 'user_loginid', EXACT, true],
      ['Login apprenant', null, NONE, false], // the import ignores it (DUPLICATE_COLUMN)
    ]);
    expect(summary(['lesson_statu', 'lesson_stat', 'lesson_status_dat'])).toEqual([
      ['lesson_statu', 'lesson_status', FUZZY, false],
      ['lesson_stat', null, NONE, false], // lesson_status went to the closer one; nothing else is close enough
      ['lesson_status_dat', 'lesson_status_date', FUZZY, false],
    ]);
    // A fuzzy match never takes a column an applied match has.
    expect(summary(['crsvname', 'crsname'])).toEqual([
      ['crsvname', 'crsvname', EXACT, true],
      ['crsname', null, NONE, false],
    ]);
    const columns = proposeColumns(['user login', 'userlogin', 'user_login_id', 'login', 'crsv', 'crsvnam'], lessonStats)
      .map((p) => p.column)
      .filter((column) => column !== null);
    expect(new Set(columns).size).toBe(columns.length);
  });

  test('a saved mapping (or a column map) wins, with its own reason; trailing empty cells are not columns', () => {
    expect(summary(['Login', 'Cours', 'Leçon', ''], { Cours: 'crsvname', 'Leçon': 'LSNVNAME' })).toEqual([
      ['Login', 'user_loginid', ALIAS, true],
      ['Cours', 'crsvname', SAVED_MAPPING, true],
      ['Leçon', 'lsnvname', SAVED_MAPPING, true],
    ]);
    expect(summary(['a', '', 'b', ' '])).toEqual([
      ['a', null, NONE, false],
      ['', null, NONE, false],
      ['b', null, NONE, false],
    ]);
  });

  test('another adapter: its own columns', () => {
    expect(proposeColumns(['First Name', 'PRÉNOM', 'Courriel', 'Disponibilité'], learners).map((p) => [p.column, p.reason])).toEqual([
      ['firstname', LABEL],
      [null, NONE], // firstname is taken
      ['email', ALIAS],
      ['available', FUZZY],
    ]);
  });
});

describe('matchSavedMapping', () => {
  const mappings: SavedMappingRef[] = [
    { id: 1, name: 'short', map: { Login: 'user_loginid' } },
    { id: 2, name: 'long', map: { Login: 'user_loginid', Cours: 'crsvname' } },
    { id: 3, name: 'newer long', map: { login: 'user_loginid', COURS: 'crsvname' } },
    { id: 4, name: 'other', map: { Matricule: 'user_loginid' } },
  ];
  test('every file column of the mapping in the header (any case, accents, *); the most columns, then the newest', () => {
    expect(matchSavedMapping(['LOGIN*', 'Cours', 'x'], mappings)?.name).toBe('newer long');
    expect(matchSavedMapping(['Login', 'x'], mappings)?.name).toBe('short');
    expect(matchSavedMapping(['Matricule'], mappings)?.name).toBe('other');
    expect(matchSavedMapping(['user_loginid', 'crsvname'], mappings)).toBeNull();
    expect(matchSavedMapping(['Cours'], mappings)).toBeNull();
  });
});
