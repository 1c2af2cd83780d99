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
