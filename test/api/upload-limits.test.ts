import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ImportFile } from '../../src/imports/import-file.entity';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';

/**
 * Wherever the upload limit fires — graphql-upload-minimal's maxFileSize before the resolver
 * opens the file or while it is stored, the service's own per-adapter check — the answer is
 * PAYLOAD_TOO_LARGE (HTTP 413) and nothing is kept: no row, no file, no `.part`.
 */

const header = 'user_loginid;firstname;lastname;email;available\n';
const learnerLines = (n: number) =>
  header + Array.from({ length: n }, (_, i) => `learner${i};First${i};Last${i};l${i}@example.com;Y`).join('\n') + '\n';
/** `bytes` bytes exactly: the header, then one line of `x`. */
const oneLine = (bytes: number) => header + 'x'.repeat(bytes - header.length);

interface Answer {
  status: number;
  body: { data?: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
}

/**
 * A multipart upload written by hand, the file's bytes in two writes with a pause between:
 * the service has started storing the file when the limit is reached.
 */
function slowUpload(url: string, adapter: string, content: Buffer, firstBytes: number): Promise<Answer> {
  const boundary = '----lms-import-test-boundary';
  const operations = JSON.stringify({
    query: 'mutation ($file: Upload!, $adapter: String!) { uploadImportFile(file: $file, adapter: $adapter) { id size } }',
    variables: { file: null, adapter },
  });
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${operations}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":["variables.file"]}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${url}/graphql`,
      {
        method: 'POST',
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': head.length + content.length + tail.length,
          authorization: `Bearer ${ADMIN_TOKEN}`,
          'apollo-require-preflight': 'true',
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      },
    );
    req.setTimeout(15_000, () => req.destroy(new Error('no answer to the upload')));
    // The service may answer before the rest is sent; that is not an error of the test.
    req.on('error', reject);
    req.write(Buffer.concat([head, content.subarray(0, firstBytes)]));
    setTimeout(() => {
      if (req.destroyed) return;
      req.write(content.subarray(firstBytes));
      req.end(tail);
    }, 300);
  });
}

async function fetchUpload(app: TestApp, adapter: string, content: string | Buffer): Promise<Answer> {
  const { status, ...body } = await app.upload(adapter, 'big.csv', content);
  return { status, body };
}

async function expectRefusedAndNothingKept(app: TestApp, answer: Answer, limit: number, production: boolean) {
  expect(answer.status).toBe(413);
  expect(answer.body.errors).toHaveLength(1);
  const [error] = answer.body.errors!;
  expect(error.extensions).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', limit });
  expect(error.message).toBe(`The file is larger than ${limit} bytes, the most accepted for this import`);
  if (production) expect(error.extensions).not.toHaveProperty('stacktrace');
  expect(fs.readdirSync(path.join(app.dataDir, 'uploads'))).toEqual([]);
  expect(await app.server.services.store.read((m) => m.count(ImportFile))).toBe(0);
}

for (const nodeEnv of ['production', 'development']) {
  const production = nodeEnv === 'production';

  describe(`the upload limit, also graphql-upload-minimal's (NODE_ENV=${nodeEnv})`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await build({ NODE_ENV: nodeEnv, MAX_UPLOAD_BYTES: '4096' });
    });
    afterAll(() => app?.close());

    test('one long line over the limit', async () => {
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'learners', `${header}${'x'.repeat(20_000)}\n`), 4096, production);
    });

    test('many short lines over the limit, received before the file is opened', async () => {
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'learners', learnerLines(200)), 4096, production);
    });

    test('one byte over the limit; a file of exactly the limit is accepted', async () => {
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'learners', oneLine(4097)), 4096, production);
      const exact = await fetchUpload(app, 'learners', oneLine(4096));
      expect(exact.body.errors).toBeUndefined();
      expect(exact.body.data.uploadImportFile.size).toBe(4096);
      await app.server.services.store.transaction((m) => m.clear(ImportFile));
      for (const name of fs.readdirSync(path.join(app.dataDir, 'uploads'))) fs.rmSync(path.join(app.dataDir, 'uploads', name));
    });

    test('the limit reached while the file is being stored, one line or many', async () => {
      await expectRefusedAndNothingKept(app, await slowUpload(app.url, 'learners', Buffer.from(learnerLines(2000)), 1000), 4096, production);
      await expectRefusedAndNothingKept(app, await slowUpload(app.url, 'learners', Buffer.from(oneLine(50_000)), 1000), 4096, production);
    });

    test('after these refusals, a file within the limit is stored and checked', async () => {
      const ok = await fetchUpload(app, 'learners', learnerLines(3));
      expect(ok.status).toBe(200);
      expect(ok.body.errors).toBeUndefined();
      expect(ok.body.data.uploadImportFile).toMatchObject({ delimiter: ';', hasHeader: true, problems: [] });
      expect(fs.readdirSync(path.join(app.dataDir, 'uploads'))).toHaveLength(1);
    });
  });

  describe(`upload limits by adapter (NODE_ENV=${nodeEnv})`, () => {
    let app: TestApp;
    beforeAll(async () => {
      // blackboard-enrollment: its own limit, lower than the global one; catalog: its own,
      // higher, which is then graphql-upload-minimal's limit.
      app = await build({
        NODE_ENV: nodeEnv,
        MAX_UPLOAD_BYTES: '4096',
        MAX_UPLOAD_BYTES_BY_ADAPTER: 'blackboard-enrollment=1000,catalog=100000',
      });
    });
    afterAll(() => app?.close());

    test("an adapter's own lower limit, whatever the file's shape and timing", async () => {
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'blackboard-enrollment', `${'x'.repeat(20_000)}\n`), 1000, production);
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'blackboard-enrollment', learnerLines(50)), 1000, production);
      await expectRefusedAndNothingKept(app, await slowUpload(app.url, 'blackboard-enrollment', Buffer.from(learnerLines(2000)), 500), 1000, production);
    });

    test("an adapter's own higher limit, past the check step's sample, before and while storing", async () => {
      const big = Buffer.from(`code;title\n${'y'.repeat(150_000)}\n`);
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'catalog', big), 100_000, production);
      await expectRefusedAndNothingKept(app, await slowUpload(app.url, 'catalog', big, 80_000), 100_000, production);
      // The global limit still holds for the others, though the multipart parser takes more.
      await expectRefusedAndNothingKept(app, await fetchUpload(app, 'learners', oneLine(10_000)), 4096, production);
    });

    test('after these refusals, files within the limits are stored and checked', async () => {
      const ok = await fetchUpload(app, 'learners', learnerLines(3));
      expect(ok.body.errors).toBeUndefined();
      const exact = await fetchUpload(app, 'catalog', Buffer.from(`code;title\n${'y'.repeat(100_000 - 12)}\n`));
      expect(exact.body.errors).toBeUndefined();
      expect(exact.body.data.uploadImportFile.size).toBe(100_000);
      expect(fs.readdirSync(path.join(app.dataDir, 'uploads'))).toHaveLength(2);
    });
  });
}
