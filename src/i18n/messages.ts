import { interpolate, localize, type Language, type Localized } from './localized';

/**
 * Messages of the issue codes the core reports (file and record level, and the column
 * validators of `fields`). Adapters add their own codes with `messages`.
 */
export const coreMessages: Record<string, { en: string; fr: string }> = {
  REQUIRED: { en: '{column} is required', fr: '{column} est obligatoire' },
  INVALID_CODE: {
    en: '{column}: "{value}" is not a valid code (allowed: {allowed})',
    fr: '{column} : « {value} » n’est pas un code valide (codes admis : {allowed})',
  },
  STATUS_WORD_MAPPED: {
    en: '{column}: "{value}" read as the code {mapped} ({value} → {mapped})',
    fr: '{column} : « {value} » lu comme le code {mapped} ({value} → {mapped})',
  },
  INVALID_DATE: {
    en: '{column}: "{value}" is not a valid date (yyyy/mm/dd, yyyy-mm-dd or dd/mm/yyyy)',
    fr: '{column} : « {value} » n’est pas une date valide (aaaa/mm/jj, aaaa-mm-jj ou jj/mm/aaaa)',
  },
  FUTURE_DATE: { en: '{column}: {value} is in the future', fr: '{column} : {value} est dans le futur' },
  INVALID_NUMBER: { en: '{column}: "{value}" is not a number', fr: '{column} : « {value} » n’est pas un nombre' },
  OUT_OF_RANGE: {
    en: '{column}: {value} is outside {min}–{max}',
    fr: '{column} : {value} est hors de l’intervalle {min}–{max}',
  },
  INVALID_DURATION: {
    en: '{column}: "{value}" is not a duration (seconds or hh:mm:ss)',
    fr: '{column} : « {value} » n’est pas une durée (secondes ou hh:mm:ss)',
  },
  INVALID_IDENTIFIER: {
    en: '{column}: "{value}" may only contain letters, digits, "_", "." and "-"',
    fr: '{column} : « {value} » ne peut contenir que des lettres, des chiffres, « _ », « . » et « - »',
  },
  INVALID_EMAIL: { en: '{column}: "{value}" is not an e-mail address', fr: '{column} : « {value} » n’est pas une adresse e-mail' },
  TOO_LONG: { en: '{column} is longer than {max} characters', fr: '{column} dépasse {max} caractères' },
  INVALID_VALUE: { en: '{column}: {detail}', fr: '{column} : {detail}' },
  INVALID_CHARACTERS: {
    en: '{column}: "{value}" holds control characters or bytes that are not text in this file\'s encoding',
    fr: '{column} : « {value} » contient des caractères de contrôle ou des octets qui ne sont pas du texte dans l’encodage du fichier',
  },
  MALFORMED_RECORD: {
    en: 'Malformed record: text follows a closing quote (line {atLine}, column {atColumn})',
    fr: 'Enregistrement mal formé : du texte suit un guillemet fermant (ligne {atLine}, colonne {atColumn})',
  },
  UNCLOSED_QUOTE: {
    en: 'A quote opened on this line is never closed',
    fr: 'Un guillemet ouvert sur cette ligne n’est jamais fermé',
  },
  TOO_MANY_FIELDS: {
    en: 'The record has {count} fields, {expected} expected',
    fr: 'L’enregistrement a {count} champs, {expected} attendus',
  },
  TOO_FEW_FIELDS: {
    en: 'The record has {count} fields, {expected} expected',
    fr: 'L’enregistrement a {count} champs, {expected} attendus',
  },
  RECORD_TOO_LONG: {
    en: 'The record is longer than {max} characters',
    fr: 'L’enregistrement dépasse {max} caractères',
  },
  TOO_MANY_RECORDS: {
    en: 'The file has more than {max} records, the most this adapter accepts',
    fr: 'Le fichier a plus de {max} enregistrements, le maximum admis pour ce type d’import',
  },
  MISSING_COLUMN: {
    en: 'The required column {column} is missing from the header',
    fr: 'La colonne obligatoire {column} manque dans l’en-tête',
  },
  UNKNOWN_COLUMN: {
    en: 'Column "{name}" is not a column of this import; it is ignored',
    fr: 'La colonne « {name} » n’appartient pas à cet import ; elle est ignorée',
  },
  DUPLICATE_COLUMN: {
    en: 'Column {column} appears more than once in the header',
    fr: 'La colonne {column} apparaît plusieurs fois dans l’en-tête',
  },
  HEADER_NOT_RECOGNISED: {
    en: 'No cell of the header names a column of this import (expected: {expected}): is the first line a header, is it the right file or the right import?',
    fr: 'Aucune cellule de l’en-tête ne nomme une colonne de cet import (attendues : {expected}) : la première ligne est-elle un en-tête, est-ce le bon fichier ou le bon import ?',
  },
  COLUMN_COUNT_MISMATCH: {
    en: 'The records have {count} fields; this import reads {expected}: is it the right file, the right separator?',
    fr: 'Les enregistrements ont {count} champs ; cet import en lit {expected} : est-ce le bon fichier, le bon séparateur ?',
  },
  LIKELY_WRONG_ADAPTER: {
    en: 'The file reads as a {suggested} file, not as a {adapter} file: upload it for {suggested}, or pass options: {allowAdapterMismatch: true} to import it as {adapter}',
    fr: 'Le fichier se lit comme un fichier {suggested}, pas comme un fichier {adapter} : déposez-le pour {suggested}, ou passez options: {allowAdapterMismatch: true} pour l’importer comme {adapter}',
  },
  COLUMN_MAP_WITHOUT_HEADER: {
    en: 'options.columnMap maps the names of a header, and this file has none: upload it with hasHeader: true, or drop columnMap (without a header, columns are read in the order of the import\'s columns)',
    fr: 'options.columnMap associe les noms d’un en-tête, et ce fichier n’en a pas : déposez-le avec hasHeader: true, ou retirez columnMap (sans en-tête, les colonnes sont lues dans l’ordre de celles de l’import)',
  },
  ENROLL_NOT_SUPPORTED: {
    en: 'enrollIfNeeded does not apply to {adapter} (it applies to: {supported})',
    fr: 'L’option enrollIfNeeded ne s’applique pas à {adapter} (elle s’applique à : {supported})',
  },
  SAVED_MAPPING_APPLIED: {
    en: 'The header matches the saved column mapping "{name}" (id {id}): its columns are read with it',
    fr: 'L’en-tête correspond à la correspondance de colonnes enregistrée « {name} » (id {id}) : ses colonnes sont lues avec elle',
  },
  HEADER_SKIPPED: {
    en: 'The first record is a header (every cell names a column): it is skipped, and the columns are read in its order',
    fr: 'Le premier enregistrement est un en-tête (chaque cellule nomme une colonne) : il est ignoré, et les colonnes sont lues dans son ordre',
  },
  HEADER_UNREADABLE: {
    en: 'The header cannot be read: {detail}',
    fr: 'L’en-tête ne peut pas être lu : {detail}',
  },
  EMPTY_FILE: { en: 'The file has no records', fr: 'Le fichier ne contient aucun enregistrement' },
  NOT_A_PACKAGE: {
    en: 'The file is not a zip package: {detail}',
    fr: 'Le fichier n’est pas un paquet zip : {detail}',
  },
  PACKAGE_EMPTY: {
    en: 'The package holds none of the files this import reads ({files})',
    fr: 'Le paquet ne contient aucun des fichiers que cet import lit ({files})',
  },
  PACKAGE_MEMBER_MISSING: {
    en: 'The package has no such file at its root, though it is to be imported',
    fr: 'Le paquet n’a pas ce fichier à sa racine, alors qu’il doit être importé',
  },
  PACKAGE_MEMBER_REFUSED: {
    en: 'This file of the package is not read ({reason}; at most {limit} bytes, not encrypted, once)',
    fr: 'Ce fichier du paquet n’est pas lu ({reason} ; au plus {limit} octets, non chiffré, une seule fois)',
  },
  PACKAGE_MEMBER_UNREADABLE: {
    en: 'This file of the package cannot be read: {detail}',
    fr: 'Ce fichier du paquet ne peut pas être lu : {detail}',
  },
  UNREADABLE_FILE: {
    en: 'No record could be read with the separator {delimiter} (is it the right file, the right separator?): {detail}',
    fr: 'Aucun enregistrement n’a pu être lu avec le séparateur {delimiter} (bon fichier, bon séparateur ?) : {detail}',
  },
  NOT_TEXT: {
    en: 'The file is not a text (CSV) file: {detail}',
    fr: 'Le fichier n’est pas un fichier texte (CSV) : {detail}',
  },
  XLS_FORMAT: {
    en: 'The file is an old-format Excel workbook (.xls), which is not read: open it in your spreadsheet and save it as .xlsx (Excel workbook) or CSV, then upload it again',
    fr: 'Le fichier est un classeur Excel de l’ancien format (.xls), qui n’est pas lu : ouvrez-le dans votre tableur, enregistrez-le en .xlsx (classeur Excel) ou en CSV, puis déposez-le de nouveau',
  },
  XLSX_ENCRYPTED: {
    en: 'The workbook is protected by a password (encrypted), so it cannot be read: remove the password, or save it as CSV, then upload it again',
    fr: 'Le classeur est protégé par un mot de passe (chiffré) et ne peut pas être lu : retirez le mot de passe, ou enregistrez-le en CSV, puis déposez-le de nouveau',
  },
  XLSX_UNREADABLE: {
    en: 'The file looks like a zip archive but is not a readable Excel workbook (.xlsx): {detail}. Save it again as .xlsx or CSV',
    fr: 'Le fichier ressemble à une archive zip mais n’est pas un classeur Excel (.xlsx) lisible : {detail}. Enregistrez-le de nouveau en .xlsx ou en CSV',
  },
  XLSX_TOO_LARGE: {
    en: 'The workbook would expand to more than {max} MB, or more than {ratio} times its compressed size: refused (a possible zip bomb). Save it as CSV, or split it',
    fr: 'Le classeur se décompresserait en plus de {max} Mo, ou plus de {ratio} fois sa taille compressée : refusé (possible bombe zip). Enregistrez-le en CSV, ou découpez-le',
  },
  XLSX_STRINGS_TOO_LARGE: {
    en: 'The text of the workbook\'s cells (its shared strings) takes more than {max} MB, more than is read in memory: save it as CSV, or split it',
    fr: 'Le texte des cellules du classeur (ses chaînes partagées) dépasse {max} Mo, plus que ce qui est lu en mémoire : enregistrez-le en CSV, ou découpez-le',
  },
  XLSX_CELL_ERROR: {
    en: 'Cell {cell} holds the spreadsheet error {error} (a formula that failed): fix it in the workbook',
    fr: 'La cellule {cell} contient l’erreur de tableur {error} (une formule en échec) : corrigez-la dans le classeur',
  },
  UNKNOWN_SHEET: {
    en: 'The workbook has no sheet {sheet} (its sheets: {sheets}); options.sheet is a sheet\'s name or its position from 1',
    fr: 'Le classeur n’a pas de feuille {sheet} (ses feuilles : {sheets}) ; options.sheet est le nom d’une feuille ou sa position à partir de 1',
  },
  SHEET_WITHOUT_WORKBOOK: {
    en: 'options.sheet chooses a sheet of an Excel workbook, and this file is a CSV file: drop options.sheet',
    fr: 'options.sheet choisit une feuille d’un classeur Excel, et ce fichier est un fichier CSV : retirez options.sheet',
  },
  // References shared by the statistics and enrollment adapters.
  UNKNOWN_LEARNER: { en: 'Unknown learner "{value}"', fr: 'Apprenant inconnu « {value} »' },
  UNKNOWN_COURSE: { en: 'Unknown course "{value}"', fr: 'Cours inconnu « {value} »' },
  UNKNOWN_ITEM: {
    en: 'Course "{course}" has no item "{value}"',
    fr: 'Le cours « {course} » n’a pas d’élément « {value} »',
  },
  ITEM_TYPE_MISMATCH: {
    en: 'Item "{item}" is of type {actual}, not {value}',
    fr: 'L’élément « {item} » est de type {actual}, pas {value}',
  },
  NOT_ENROLLED: {
    en: 'Learner "{learner}" is not enrolled in course "{course}" (enrollIfNeeded would enroll them)',
    fr: 'L’apprenant « {learner} » n’est pas inscrit au cours « {course} » (l’option d’inscription l’inscrirait)',
  },
  ENROLLED: {
    en: 'Learner "{learner}" was enrolled in course "{course}"',
    fr: 'L’apprenant « {learner} » a été inscrit au cours « {course} »',
  },
  STATUS_EXISTS: {
    en: 'A status already exists for this learner (onExisting: REJECT)',
    fr: 'Un statut existe déjà pour cet apprenant (option : rejeter la ligne)',
  },
  INTERNAL_ERROR: {
    en: 'The record could not be imported: {detail}',
    fr: 'L’enregistrement n’a pas pu être importé : {detail}',
  },
  // undoImport: a row of the undone job that another job changed or refers to since.
  UNDO_CHANGED: {
    en: '{table} {key} (id {id}): changed since by job {job}; left as it is',
    fr: '{table} {key} (id {id}) : modifié depuis par le job {job} ; laissé tel quel',
  },
  UNDO_REFERENCED: {
    en: '{table} {key} (id {id}): {what} of job {job} refer to it; kept',
    fr: '{table} {key} (id {id}) : des lignes du job {job} y renvoient ({what}) ; conservé',
  },
  UNDO_GONE: {
    en: '{table} {key}: deleted since; nothing to give back',
    fr: '{table} {key} : supprimé depuis ; rien à rétablir',
  },
  UNDO_FORCED: {
    en: '{table} {key} (id {id}): changed since by job {job}; undone anyway (FORCE)',
    fr: '{table} {key} (id {id}) : modifié depuis par le job {job} ; annulé quand même (FORCE)',
  },
  RETIRED_UNAVAILABLE: {
    en: '{table} {key}: not in the file of data set {dataSet}; made unavailable',
    fr: '{table} {key} : absent du fichier du jeu de données {dataSet} ; rendu indisponible',
  },
  RETIRED_INACTIVE: {
    en: '{table} {key}: not in the file of data set {dataSet}; made inactive (kept with its statistics)',
    fr: '{table} {key} : absent du fichier du jeu de données {dataSet} ; rendu inactif (conservé avec ses statistiques)',
  },
  RETIRED_REMOVED: {
    en: '{table} {key}: not in the file of data set {dataSet}; removed',
    fr: '{table} {key} : absent du fichier du jeu de données {dataSet} ; supprimé',
  },
  RETIRED_BACK: {
    en: '{table} {key}: retired by an earlier sync of data set {dataSet}, back in the file; made available again',
    fr: '{table} {key} : retiré par une synchronisation précédente du jeu de données {dataSet}, de retour dans le fichier ; de nouveau disponible',
  },
  CHANGE_THRESHOLD_EXCEEDED: {
    en: '{table}: {count} of the {total} rows of data set {dataSet} are not in the file ({percent}%), more than changeThreshold {threshold}%: none was retired (adds and updates are kept). Check the file, or import it again with a higher changeThreshold',
    fr: "{table} : {count} des {total} lignes du jeu de données {dataSet} sont absentes du fichier ({percent} %), plus que changeThreshold {threshold} % : aucune n'a été retirée (les ajouts et mises à jour sont conservés). Vérifiez le fichier, ou importez-le de nouveau avec un changeThreshold plus élevé",
  },
};

/** Renders an issue's message in a language from its code and params. */
export function renderMessage(
  code: string,
  params: Record<string, unknown> | null | undefined,
  lang: Language,
  adapterMessages?: Readonly<Record<string, Localized>>,
): string {
  const template = adapterMessages?.[code] ?? coreMessages[code];
  if (!template) return params?.detail ? String(params.detail) : code;
  return interpolate(localize(template, lang), { column: '', ...params });
}
