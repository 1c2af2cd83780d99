import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FileStore } from '../../src/imports/file-store';

test('a process starting on a shared DATA_DIR removes uploads a crash left (.part, untouched for an hour), not those in progress', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lms-files-'));
  try {
    const uploads = path.join(dataDir, 'uploads');
    fs.mkdirSync(uploads, { recursive: true });
    const stale = path.join(uploads, 'crashed.part');
    const fresh = path.join(uploads, 'in-progress.part');
    const stored = path.join(uploads, 'stored');
    for (const file of [stale, fresh, stored]) fs.writeFileSync(file, 'bytes');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    fs.utimesSync(stale, twoHoursAgo, twoHoursAgo);
    fs.utimesSync(stored, twoHoursAgo, twoHoursAgo);
    new FileStore(dataDir);
    expect(fs.readdirSync(uploads).sort()).toEqual(['in-progress.part', 'stored']);
  } finally {
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
