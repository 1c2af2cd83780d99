import fs from 'node:fs';
import path from 'node:path';
import { ZipFile } from 'yazl';

/** A zip of the given entries (name → content), in that order, as a SIS would export it. */
export async function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), name);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const example = path.join(__dirname, '..', 'example');

/** The example files of plugins/oneroster/example, by name. */
export function exampleFiles(): Record<string, string> {
  return Object.fromEntries(['manifest.csv', 'courses.csv', 'classes.csv', 'users.csv', 'enrollments.csv', 'lineItems.csv', 'results.csv'].map((name) => [name, fs.readFileSync(path.join(example, name), 'utf8')]));
}

/** A manifest.csv for a version and files (name without .csv → bulk | delta | absent). */
export function manifest(version: string, files: Record<string, string>): string {
  return ['propertyName,value', 'manifest.version,1.0', `oneroster.version,${version}`, ...Object.entries(files).map(([file, mode]) => `file.${file},${mode}`)].join('\r\n') + '\r\n';
}
