import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

/**
 * Opens a stored zip by its central directory (yauzl), reading no entry yet: entries one at a
 * time (`readEntry`), and each entry's inflated bytes checked against the sizes the zip declares
 * (`validateEntrySizes`: a zip bomb that lies about them fails its stream). Workbooks and
 * packages both open theirs here.
 */
export function openZipFile(file: string): Promise<ZipFile> {
  return new Promise((resolve, reject) =>
    yauzl.open(file, { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false }, (error, zip) => (error ? reject(error) : resolve(zip))),
  );
}

/** A stream of one entry's inflated bytes. */
export function openEntry(zip: ZipFile, entry: Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
}
