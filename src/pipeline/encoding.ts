import iconv from 'iconv-lite';

/** The encodings files arrive in (SPEC §5). */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

const boms: Array<{ bytes: number[]; encoding: TextEncoding }> = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

export function encodingFromBom(head: Buffer): TextEncoding | null {
  const bom = boms.find(({ bytes }) => bytes.every((byte, i) => head[i] === byte));
  return bom?.encoding ?? null;
}

/** UTF-16 without a BOM: most even (LE) or odd (BE) bytes are zero in Latin text. */
function utf16WithoutBom(head: Buffer): TextEncoding | null {
  const pairs = Math.floor(Math.min(head.length, 4096) / 2);
  if (pairs < 2) return null;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs; i++) {
    if (head[2 * i] === 0) evenZeros++;
    if (head[2 * i + 1] === 0) oddZeros++;
  }
  if (oddZeros > pairs * 0.4 && evenZeros < pairs * 0.05) return 'utf-16le';
  if (evenZeros > pairs * 0.4 && oddZeros < pairs * 0.05) return 'utf-16be';
  return null;
}

/**
 * Chooses the encoding: a BOM first, then UTF-16 by its zero bytes, then strict UTF-8
 * (checked over the whole file as it was stored), else Windows-1252.
 */
export function detectEncoding(head: Buffer, wholeFileIsUtf8: boolean): TextEncoding {
  return encodingFromBom(head) ?? utf16WithoutBom(head) ?? (wholeFileIsUtf8 ? 'utf-8' : 'windows-1252');
}

/** A decoding stream (the BOM, if any, is dropped). */
export function decodeStream(encoding: TextEncoding): NodeJS.ReadWriteStream {
  return iconv.decodeStream(encoding, { stripBOM: true });
}

export function decode(bytes: Buffer, encoding: TextEncoding): string {
  return iconv.decode(bytes, encoding, { stripBOM: true });
}

/** Feeds a file's bytes in order and tells at the end whether they were valid UTF-8. */
export class Utf8Validator {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private valid = true;

  update(chunk: Uint8Array): void {
    if (!this.valid) return;
    try {
      this.decoder.decode(chunk, { stream: true });
    } catch {
      this.valid = false;
    }
  }

  end(): boolean {
    if (this.valid) {
      try {
        this.decoder.decode();
      } catch {
        this.valid = false;
      }
    }
    return this.valid;
  }
}

const signatures: Array<{ bytes: number[]; what: string }> = [
  { bytes: [0x50, 0x4b, 0x03, 0x04], what: 'a ZIP archive (an .xlsx workbook?)' },
  { bytes: [0xd0, 0xcf, 0x11, 0xe0], what: 'an Office document (an .xls workbook?)' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive' },
];

/**
 * Why the file is not text, or null when it is: a known binary signature, or a share of
 * control characters no spreadsheet writes (binary files have 10–30%). A few stray bytes in
 * a text file are not enough: those records are errors of their own, their neighbours import.
 */
export function notTextReason(head: Buffer, decodedHead: string): string | null {
  const signature = signatures.find(({ bytes }) => bytes.every((byte, i) => head[i] === byte));
  if (signature) return `it looks like ${signature.what}`;
  let control = 0;
  for (const char of decodedHead) {
    const code = char.charCodeAt(0);
    if ((code < 32 && code !== 9 && code !== 10 && code !== 13 && code !== 12) || code === 0xfffd) control++;
  }
  if (control > Math.max(8, decodedHead.length * 0.05)) return 'it contains binary (control) bytes';
  return null;
}
