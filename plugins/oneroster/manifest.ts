import type { PackagePlan, PackageProblem } from '../../src/adapters/define-adapter';
import { readAll } from '../../src/pipeline/csv-reader';
import type { CodeEntry } from '../../src/model/codes';

export const MANIFEST = 'manifest.csv';

/** manifest.csv `file.<name>` values. */
export const fileModes = [
  { code: 'bulk', label: { en: 'Bulk: the whole set of records', fr: 'Bulk : l’ensemble des enregistrements' } },
  { code: 'delta', label: { en: 'Delta: the changes since the last export (status and dateLastModified required)', fr: 'Delta : les changements depuis le dernier export (status et dateLastModified obligatoires)' } },
  { code: 'absent', label: { en: 'Absent: not in the package', fr: 'Absent : pas dans le paquet' } },
] as const satisfies readonly CodeEntry[];

export const versions = ['1.1', '1.2'] as const;

/**
 * What manifest.csv (`propertyName,value` rows) says: the OneRoster version, and for each file
 * this import reads whether it is there, in bulk or delta mode. A file the manifest says is
 * there must be; files it does not list are absent (OneRoster: every file.* row is required,
 * a missing one is reported and taken as absent).
 */
export function readManifest(text: string | null, files: readonly string[], entries: ReadonlySet<string>): PackagePlan {
  const problems: PackageProblem[] = [];
  const problem = (code: string, line: number | null, params: Record<string, string> = {}, column = 'value') => problems.push({ file: MANIFEST, line, code, column, params });
  if (text === null) {
    problems.push({ file: MANIFEST, line: null, code: 'MANIFEST_MISSING', params: {} });
    return { members: [], problems };
  }
  const properties = new Map<string, { value: string; line: number }>();
  readAll(text, { delimiter: ',', maxRecordSize: 64 * 1024 }).forEach((item, index) => {
    if (item.kind !== 'record') return problem('UNREADABLE_FILE', item.line, { delimiter: ',', detail: item.detail });
    const [name = '', value = ''] = item.fields.map((field) => field.trim());
    if (index === 0 && name === 'propertyName') return; // the header row
    if (name !== '') properties.set(name, { value, line: item.line });
  });
  const version = properties.get('oneroster.version');
  if (!version) problem('MANIFEST_PROPERTY_MISSING', null, { property: 'oneroster.version' }, 'propertyName');
  else if (!(versions as readonly string[]).includes(version.value)) problem('ONEROSTER_VERSION', version.line, { value: version.value, allowed: versions.join(', ') });
  const members: PackagePlan['members'] = [];
  for (const file of files) {
    const property = `file.${file.replace(/\.csv$/, '')}`;
    const declared = properties.get(property);
    if (!declared) {
      // Absent for this import; said when the zip holds it nonetheless.
      if (entries.has(file)) problem('MANIFEST_PROPERTY_MISSING', null, { property }, 'propertyName');
      continue;
    }
    const mode = declared.value.toLowerCase();
    if (!fileModes.some((entry) => entry.code === mode)) {
      problem('INVALID_CODE', declared.line, { value: declared.value, allowed: fileModes.map((entry) => entry.code).join(', ') });
      continue;
    }
    if (mode === 'absent') {
      if (entries.has(file)) problems.push({ file, line: null, code: 'MANIFEST_SAYS_ABSENT', severity: 'WARNING', params: { property } });
      continue;
    }
    members.push({ file, options: { mode, version: version?.value } });
  }
  return { members, problems };
}

export const manifestMessages = {
  MANIFEST_MISSING: { en: 'The package has no manifest.csv at its root', fr: 'Le paquet n’a pas de manifest.csv à sa racine' },
  MANIFEST_PROPERTY_MISSING: { en: 'manifest.csv has no {property} row', fr: 'manifest.csv n’a pas de ligne {property}' },
  ONEROSTER_VERSION: {
    en: 'oneroster.version "{value}" is not a version this import reads ({allowed})',
    fr: 'oneroster.version « {value} » n’est pas une version que cet import lit ({allowed})',
  },
  MANIFEST_SAYS_ABSENT: {
    en: 'manifest.csv says {property} is absent: this file of the package is not imported',
    fr: 'manifest.csv indique {property} absent : ce fichier du paquet n’est pas importé',
  },
};
