import { runTokenCli } from '../../src/auth/token-cli';
import { build } from '../helpers/build';

test('npm run token -- create/list/revoke manages tokens the server accepts', async () => {
  const app = await build();
  const env = { DATA_DIR: app.dataDir, DATABASE_URL: app.databaseUrl, LOG_LEVEL: 'silent' };
  const output: string[] = [];
  const log = jest.spyOn(console, 'log').mockImplementation((line: string) => void output.push(line));
  const error = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    expect(await runTokenCli(['create', '--role', 'operator', '--name', 'nightly-sync'], env)).toBe(0);
    const secret = /\n\n {2}(lmsi_\S+)\n/.exec(output.join('\n'))![1];
    expect((await app.upload('learners', 'cli.csv', 'user_loginid\ncli\n', { token: secret })).errors).toBeUndefined();
    expect((await app.gql('{ tokens { id } }', {}, { token: secret })).errors?.[0].extensions?.code).toBe('FORBIDDEN');

    output.length = 0;
    expect(await runTokenCli(['list'], env)).toBe(0);
    const line = output.find((l) => l.includes('nightly-sync'))!;
    expect(line).toMatch(/^\d+\tOPERATOR\tnightly-sync\tactive\t/);

    expect(await runTokenCli(['revoke', line.split('\t')[0]], env)).toBe(0);
    expect((await app.gql('{ adapters { name } }', {}, { token: secret })).status).toBe(401);
    expect(await runTokenCli(['revoke', line.split('\t')[0]], env)).toBe(1);
    expect(await runTokenCli(['create', '--role', 'boss', '--name', 'x'], env)).toBe(2);
    expect(await runTokenCli([], env)).toBe(2);
  } finally {
    log.mockRestore();
    error.mockRestore();
    await app.close();
  }
});
