// `fun validate` of template.yml with @alicloud/fun 3.6.24 (fun's last release), fetched by npx.
// fun phones home unless told not to: update-notifier asks the registry for a newer fun (off with
// FUN_DISABLE_VERSION_CHECK), and it sends Google Analytics events when it finds a CI environment
// and no profile. A throwaway HOME holding a profile with `report: false` keeps it quiet.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'fun-home-'));
mkdirSync(join(home, '.fcli'));
writeFileSync(join(home, '.fcli', 'config.yaml'), 'report: false\n');

const result = spawnSync('npx', ['--yes', '@alicloud/fun@3.6.24', 'validate', '-t', process.argv[2] ?? 'template.yml'], {
  stdio: 'inherit',
  env: {
    ...process.env,
    HOME: home,
    // npx itself keeps using the normal npm cache.
    npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
    FUN_DISABLE_VERSION_CHECK: '1',
  },
});
rmSync(home, { recursive: true, force: true });
if (result.status === 0) console.log('template.yml is valid for fun 3.6.24');
process.exit(result.status ?? 1);
