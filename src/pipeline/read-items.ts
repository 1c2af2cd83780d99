import fs from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvReader, type CsvItem, type CsvReaderOptions } from './csv-reader';
import { decodeStream, type TextEncoding } from './encoding';
import { SniffSample } from './sniff';
import { readWorkbookItems, XLSX_ENCODING, type SheetChoice } from './xlsx';

/** How a stored file is written: a text encoding, or `xlsx` for a workbook. */
export type FileEncoding = TextEncoding | typeof XLSX_ENCODING;

/** What reading a file's records needs: the CSV reader's options, and a workbook's sheet. */
export type ItemOptions = CsvReaderOptions & { sheet?: SheetChoice };

/**
 * A stored file as tokenized records, a chunk's worth at a time: read → decode → tokenize,
 * with backpressure (the next chunk is read when the consumer asks for it). A workbook gives
 * its sheet's rows as the same records (xlsx.ts).
 */
export async function* readItems(
  file: string,
  encoding: FileEncoding,
  options: ItemOptions,
  onBytes: (bytes: number) => void = () => {},
): AsyncGenerator<CsvItem[]> {
  if (encoding === XLSX_ENCODING) {
    yield* readWorkbookItems(file, options.sheet, onBytes);
    return;
  }
  const reader = new CsvReader(options);
  const source = fs.createReadStream(file, { highWaterMark: 256 * 1024 });
  source.on('data', (chunk) => onBytes(chunk.length));
  const text = pipeline(source, decodeStream(encoding), () => {});
  try {
    for await (const chunk of text) yield reader.push(chunk as string);
    yield reader.end();
  } finally {
    source.destroy();
  }
}

/** Counts the records of a file (a header row excluded), stopping once past `limit`. */
export async function countRecords(
  file: string,
  encoding: FileEncoding,
  options: ItemOptions & { hasHeader: boolean; limit: number },
): Promise<number> {
  let count = options.hasHeader ? -1 : 0;
  for await (const items of readItems(file, encoding, options)) {
    count += items.length;
    if (count > options.limit) break;
  }
  return Math.max(0, count);
}

/** The first lines of a file that the separator is detected from (see SniffSample), however long its first records. */
export async function readSniffSample(file: string, encoding: TextEncoding): Promise<string> {
  const sample = new SniffSample();
  const source = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  const text = pipeline(source, decodeStream(encoding), () => {});
  try {
    for await (const chunk of text) if (!sample.push(chunk as string)) return sample.text(false);
    return sample.text(true);
  } finally {
    source.destroy();
  }
}
