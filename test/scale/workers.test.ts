import { freshDbPath, tempDir } from '../helpers';
import { freePort, runServer } from '../server-process';

const dir = tempDir();

describe('WORKERS', () => {
  it.each([
    [{ WORKERS: '2' }, 'Cannot start: WORKERS=2 needs STORE=postgres: a db.json has exactly one writer; run one process or use STORE=postgres'],
    [{ WORKERS: '3', STORE: 'memory' }, 'Cannot start: WORKERS=3 needs STORE=postgres: the memory store lives in one process; run one process or use STORE=postgres'],
    [{ WORKERS: 'two' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "two"'],
    [{ WORKERS: '0' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "0"'],
    [{ WORKERS: '1.5' }, 'Cannot start: WORKERS must be a whole number from 1, or "auto", got "1.5"'],
  ])('refuses %j at start with one line', async (env, message) => {
    const path = freshDbPath(dir);
    const { code, stdout, stderr } = await runServer([], { DB_FILE: path, PORT: String(await freePort()), ...env });
    expect(code).toBe(1);
    expect(stderr).toBe(`${message}\n`);
    expect(stdout).toBe('');
  });
});
