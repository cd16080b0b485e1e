import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flagOf, SETTINGS } from '../../src/config';

const ROOT = join(__dirname, '..', '..');
const read = (name: string) => readFileSync(join(ROOT, name), 'utf8');
const pkg = JSON.parse(read('package.json'));

describe('the project files a newcomer looks for', () => {
  it("the README's configuration table lists every setting, in order, with its flag and default", () => {
    const table = read('README.md').split('\n## Configuration\n\n')[1].split('\n\n')[0];
    const rows = table.split('\n').slice(2).map((row) => row.split('|').slice(1, 4).map((cell) => cell.trim().replace(/^`(.*)`$/, '$1')));
    expect(rows).toEqual(SETTINGS.map(([name, fallback]) => [name, flagOf(name), fallback]));
  });


  it('.nvmrc names a Node major that engines accepts', () => {
    const nvmrc = read('.nvmrc').trim();
    expect(nvmrc).toMatch(/^\d+$/);
    expect(pkg.engines.node).toBe(`>=${nvmrc}`);
  });

  it('LICENSE is the MIT license package.json names', () => {
    expect(pkg.license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) \d{4} /);
  });

  it('CHANGELOG.md follows Keep a Changelog, newest first', () => {
    const changelog = read('CHANGELOG.md');
    expect(changelog).toMatch(/^# Changelog\n/);
    expect(changelog).toContain('[Keep a Changelog](https://keepachangelog.com/');
    const releases = [...changelog.matchAll(/^## \[(.+?)\]/gm)].map((match) => match[1]);
    expect(releases[0]).toBe('Unreleased');
    for (const heading of changelog.matchAll(/^### (.+)$/gm)) expect(['Added', 'Changed', 'Deprecated', 'Removed', 'Fixed', 'Security']).toContain(heading[1]);
  });

  it('`npm run bench -- --help` answers at once, builds nothing, and names --port-base', () => {
    const run = spawnSync('npm', ['run', 'bench', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^\s*--port-base N\s/m);
    expect(run.stdout).not.toMatch(/^> .*(prebench|build)/m); // npm names each script it runs
    expect(run.stdout + run.stderr).not.toMatch(/#\d|issue/i);
  });
});
