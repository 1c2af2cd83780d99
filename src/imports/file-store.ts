import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform, type Readable } from 'node:stream';
import { Utf8Validator } from '../pipeline/encoding';

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`The file is larger than ${limit} bytes, the most accepted for this import`);
  }
}

export interface StoredUpload {
  storedName: string;
  size: number;
  sha256: string;
  /** Whether every byte was valid UTF-8 (decides between UTF-8 and Windows-1252). */
  utf8: boolean;
}

/**
 * Uploaded files and job outputs on disk, under DATA_DIR and outside anything served:
 * uploads get generated names; the client's file name is only kept as data.
 */
const STALE_PART_MS = 60 * 60 * 1000;

export class FileStore {
  readonly uploadsDir: string;
  readonly jobsDir: string;

  constructor(dataDir: string) {
    this.uploadsDir = path.join(dataDir, 'uploads');
    this.jobsDir = path.join(dataDir, 'jobs');
    fs.mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
    fs.mkdirSync(this.jobsDir, { recursive: true, mode: 0o700 });
    // Uploads a crash interrupted: never registered, never imported. Only those untouched for an
    // hour: the folder may be shared with other processes (API and workers at scale), whose
    // uploads in progress are .part files too.
    const stale = Date.now() - STALE_PART_MS;
    for (const name of fs.readdirSync(this.uploadsDir)) {
      if (!name.endsWith('.part')) continue;
      const file = path.join(this.uploadsDir, name);
      const modified = fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Infinity;
      if (modified < stale) fs.rmSync(file, { force: true });
    }
  }

  uploadPath(storedName: string): string {
    if (!/^[\w-]+$/.test(storedName)) throw new Error('invalid stored name');
    return path.join(this.uploadsDir, storedName);
  }

  /**
   * Streams an upload to disk with its size and SHA-256; refuses it past `maxBytes`, keeping
   * nothing. `source` may be a function opening the stream: graphql-upload-minimal's
   * `createReadStream` throws its own size error when the limit was reached before it is called.
   */
  async save(source: Readable | (() => Readable), maxBytes: number): Promise<StoredUpload> {
    const storedName = randomUUID();
    const target = this.uploadPath(storedName);
    const hash = createHash('sha256');
    const utf8 = new Utf8Validator();
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        size += chunk.length;
        if (size > maxBytes) return callback(new PayloadTooLargeError(maxBytes));
        hash.update(chunk);
        utf8.update(chunk);
        callback(null, chunk);
      },
    });
    const partial = `${target}.part`;
    let out: fs.WriteStream | null = null;
    try {
      const stream = typeof source === 'function' ? source() : source;
      // busboy (under graphql-upload-minimal) does not fail a file past its limit: it emits
      // 'limit', ends it truncated, and graphql-upload-minimal unpipes it, which would leave
      // this pipeline waiting for an end that never comes.
      const onLimit = () => meter.destroy(new PayloadTooLargeError(maxBytes));
      stream.once('limit', onLimit);
      try {
        out = fs.createWriteStream(partial, { mode: 0o600 });
        await pipeline(stream, meter, out);
      } finally {
        stream.off('limit', onLimit);
      }
      if ((stream as { truncated?: boolean }).truncated) throw new PayloadTooLargeError(maxBytes);
      await fs.promises.rename(partial, target);
    } catch (error) {
      // The write stream opens its file asynchronously, and may do so after the failure: the
      // file is removed once the stream has closed it, or it would be left behind.
      if (out && !out.closed) await new Promise<void>((resolve) => out!.once('close', () => resolve()));
      await fs.promises.rm(partial, { force: true });
      // graphql-upload-minimal reports its own size limit as a 413 error.
      if ((error as { status?: number }).status === 413) throw new PayloadTooLargeError(maxBytes);
      throw error;
    }
    return { storedName, size, sha256: hash.digest('hex'), utf8: utf8.end() };
  }

  /** The first bytes of a stored upload. */
  async head(storedName: string, bytes: number): Promise<Buffer> {
    const handle = await fs.promises.open(this.uploadPath(storedName), 'r');
    try {
      const buffer = Buffer.alloc(bytes);
      const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }

  async remove(storedName: string): Promise<void> {
    await fs.promises.rm(this.uploadPath(storedName), { force: true });
  }

  jobDir(jobId: number): string {
    const dir = path.join(this.jobsDir, String(jobId));
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return dir;
  }

  /** A package import has one rejects file per member file (named as in the package: adapters declare them). */
  rejectsPath(jobId: number, member?: string): string {
    if (member !== undefined && !/^[\w-][\w.-]*$/.test(member)) throw new Error('invalid member name');
    return path.join(this.jobDir(jobId), member === undefined ? 'rejects.csv' : `rejects-${member}`);
  }
}
