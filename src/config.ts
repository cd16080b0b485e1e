import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';

export interface Config {
  port: number;
  store: 'file' | 'memory';
  dbFile: string;
  staticDir: string;
  logLevel: string;
  /** Server processes behind the port (node:cluster); more than one only on a shared store. */
  workers: number;
}

type Env = Record<string, string | undefined>;

/** The settings, their defaults and their help text: one table that `--help` and the README follow. */
export const SETTINGS = [
  ['PORT', '3001', 'TCP port to listen on (1-65535); if unset, FC_SERVER_PORT (Function Compute custom runtime)'],
  ['STORE', 'file', 'where todos live: "file" (DB_FILE) or "memory" (lost on exit)'],
  ['DB_FILE', './db.json', 'JSON file of the file store; created with a welcome todo if missing'],
  ['STATIC_DIR', './public', 'folder of the web frontend to serve'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['WORKERS', '1', 'server processes sharing the port; "auto" = one per CPU; more than 1 needs STORE=postgres'],
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function helpText(): string {
  const rows = SETTINGS.map(([name, fallback, text]) => `  ${name.padEnd(11)} ${text} (default ${fallback})`);
  return ['Usage: npm start   (or: node dist/server.mjs)', '', 'Serves the todo API and web app. Settings come from the environment:', ...rows, ''].join('\n');
}

/** Reads and checks the environment; throws an Error with a one-line explanation when a value is off. */
export function loadConfig(env: Env): Config {
  const value = (name: (typeof SETTINGS)[number][0]) => {
    const given = env[name]?.trim();
    return given ? given : SETTINGS.find(([key]) => key === name)![1];
  };

  // Function Compute 3.0 starts a custom runtime with the port it forwards to in FC_SERVER_PORT.
  const portName = !env.PORT?.trim() && env.FC_SERVER_PORT?.trim() ? 'FC_SERVER_PORT' : 'PORT';
  const portText = portName === 'PORT' ? value('PORT') : env.FC_SERVER_PORT!.trim();
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`${portName} must be a number from 1 to 65535, got "${portText}"`);

  const store = value('STORE');
  if (store !== 'file' && store !== 'memory') throw new Error(`STORE must be "file" or "memory", got "${store}"`);

  const staticDir = resolve(value('STATIC_DIR'));
  if (!existsSync(staticDir) || !statSync(staticDir).isDirectory()) throw new Error(`STATIC_DIR ${staticDir} is not a folder`);

  const logLevel = value('LOG_LEVEL');
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const workersText = value('WORKERS');
  const workers = workersText === 'auto' ? availableParallelism() : Number(workersText);
  if (!(workersText === 'auto' || /^\d+$/.test(workersText)) || workers < 1) {
    throw new Error(`WORKERS must be a whole number from 1, or "auto", got "${workersText}"`);
  }
  if (workers > 1 && (store === 'file' || store === 'memory')) {
    const why = store === 'file' ? 'a db.json has exactly one writer' : 'the memory store lives in one process';
    throw new Error(`WORKERS=${workersText} needs STORE=postgres: ${why}; run one process or use STORE=postgres`);
  }

  return { port, store, dbFile: resolve(value('DB_FILE')), staticDir, logLevel, workers };
}
