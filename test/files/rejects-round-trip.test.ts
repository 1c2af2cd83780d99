import fs from 'node:fs';
import { Learner } from '../../src/model/learner.entity';
import { TestKit } from '../../src/testing';

let kit: TestKit;
beforeAll(async () => {
  kit = await TestKit.create();
});
afterAll(() => kit?.close());

test('a rejects file fixed in place imports cleanly, formula guards stripped', async () => {
  const input = [
    'user_loginid;firstname;lastname;email;available',
    'ok1;Anne;Ok;anne@example.com;Y',
    ';=HYPERLINK("http://evil");Nobody;nobody@example.com;Y',
    'bad2;+33 6 12 34 56;Mail;not-an-email;Y',
    '"ok2";"Jean; Paul";Ok;jean@example.com;N',
    'bad3;-minus;@at;bad3@example.com;maybe',
  ].join('\r\n');
  const first = await kit.import('learners', `${input}\r\n`);
  expect(first.job).toMatchObject({ added: 2, rejected: 3 });

  // The rejects file: BOM, the input's header and separator, cells a spreadsheet would run prefixed with '.
  const bytes = fs.readFileSync(kit.services.reports.rejectsPath(first.job!)!);
  expect(bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
  const rejects = bytes.subarray(3).toString('utf8');
  expect(rejects).toBe(
    [
      'user_loginid;firstname;lastname;email;available',
      `;"'=HYPERLINK(""http://evil"")";Nobody;nobody@example.com;Y`,
      "bad2;'+33 6 12 34 56;Mail;not-an-email;Y",
      "bad3;'-minus;'@at;bad3@example.com;maybe",
      '',
    ].join('\r\n'),
  );

  // The user fixes the three rows in place, keeping everything else as it is.
  const fixed = rejects
    .replace(`;"'=HYPERLINK`, `nobody;"'=HYPERLINK`)
    .replace('not-an-email', 'bad2@example.com')
    .replace(';maybe', ';N');
  const second = await kit.import('learners', Buffer.concat([bytes.subarray(0, 3), Buffer.from(fixed)]));
  expect(second.job).toMatchObject({ added: 3, rejected: 0, errors: 0, warnings: 0 });
  const stored = await kit.manager.find(Learner, { order: { loginId: 'ASC' } });
  expect(stored.map((l) => [l.loginId, l.firstName, l.lastName])).toEqual([
    ['bad2', '+33 6 12 34 56', 'Mail'],
    ['bad3', '-minus', '@at'],
    ['nobody', '=HYPERLINK("http://evil")', 'Nobody'],
    ['ok1', 'Anne', 'Ok'],
    ['ok2', 'Jean; Paul', 'Ok'],
  ]);
});

test('a record that did not parse goes to the rejects file as it was, and can be fixed there too', async () => {
  const first = await kit.import('learners', 'user_loginid;firstname\n"broken"x;Zed\nfine;Ok\n');
  expect(first.job).toMatchObject({ added: 1, rejected: 1 });
  expect(first.issues).toEqual([expect.objectContaining({ line: 2, code: 'MALFORMED_RECORD' })]);
  expect(first.rejectsCsv).toBe('user_loginid;firstname\r\n"broken"x;Zed\r\n');
  const second = await kit.import('learners', first.rejectsCsv.replace('"broken"x', 'unbroken'));
  expect(second.job).toMatchObject({ added: 1, rejected: 0 });
});
