import type { Readable } from 'node:stream';
import type { Entry, ZipFile } from 'yauzl';
import { openEntry, openZipFile } from './zip-file';

/** What the zip holds of the names asked for; nothing else of it is ever read. */
export interface ZipEntries {
  /** Every entry name at the root of the zip (folders and nested entries left out). */
  readonly names: ReadonlySet<string>;
  /** The named entries, by name. */
  readonly wanted: ReadonlyMap<string, Entry>;
  /** Entries of the zip that cannot be read as asked (encrypted, duplicated, too large): name → reason code. */
  readonly refused: ReadonlyMap<string, 'ENCRYPTED' | 'DUPLICATE' | 'TOO_LARGE'>;
  /** A stream of one wanted entry's uncompressed bytes; yauzl checks them against the sizes the zip declares. */
  open(entry: Entry): Promise<Readable>;
  close(): void;
}

export class NotAZipError extends Error {}

/**
 * Opens a stored zip and lists its central directory, reading no member yet. Only entries
 * whose exact name is one of `wanted` can be opened: a path in a name (`../x`, `a/users.csv`)
 * never reaches the file system, and each is bounded by `maxBytes(name)` of declared
 * uncompressed size (zip bombs: yauzl fails the stream if the bytes exceed what is declared).
 */
export async function openZip(file: string, wanted: readonly string[], maxBytes: (name: string) => number): Promise<ZipEntries> {
  const zip: ZipFile = await openZipFile(file).catch((error: Error) => Promise.reject(new NotAZipError(error.message)));
  const names = new Set<string>();
  const found = new Map<string, Entry>();
  const refused = new Map<string, 'ENCRYPTED' | 'DUPLICATE' | 'TOO_LARGE'>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: Entry) => {
        const name = entry.fileName;
        if (!name.includes('/') && !name.includes('\\')) {
          if (names.has(name)) refused.set(name, 'DUPLICATE');
          names.add(name);
          if (wanted.includes(name) && !refused.has(name)) {
            if (entry.isEncrypted()) refused.set(name, 'ENCRYPTED');
            else if (entry.uncompressedSize > maxBytes(name)) refused.set(name, 'TOO_LARGE');
            else found.set(name, entry);
          }
        }
        zip.readEntry();
      });
      zip.once('end', resolve);
      zip.once('error', (error: Error) => reject(new NotAZipError(error.message)));
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  for (const name of refused.keys()) found.delete(name);
  return {
    names,
    wanted: found,
    refused,
    open: (entry) => openEntry(zip, entry),
    close: () => zip.close(),
  };
}

/** A small entry read whole (a manifest), as text; null when the zip does not hold it. */
export async function readSmallEntry(zip: ZipEntries, name: string, maxBytes: number): Promise<Buffer | null> {
  const entry = zip.wanted.get(name);
  if (!entry || entry.uncompressedSize > maxBytes) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of await zip.open(entry)) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
