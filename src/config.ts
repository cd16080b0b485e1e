import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ConnectionLimits } from './http/node-server';
import type { PostgresSettings } from './stores/postgres-store';

export interface Config extends ConnectionLimits {
  port: number;
  store: 'file' | 'memory' | 'postgres';
  dbFile: string;
  /** Only with STORE=postgres. */
  database?: PostgresSettings;
  staticDir: string;
  logLevel: string;
  logFormat: 'auto' | 'pretty' | 'json';
  /** Server processes behind the port (node:cluster); more than one only on a shared store. */
  workers: number;
  /** Origins allowed to call from a browser: `*` for any, a list, or false for no CORS headers. */
  corsOrigin: CorsOrigin;
  /** Express's `trust proxy`: which peers' X-Forwarded-Proto/Host to believe. */
  trustProxy: TrustProxy;
}

export type CorsOrigin = '*' | string[] | false;

/** Proxies on this machine or a private network (nginx, a container's gateway); no one else. */
export const DEFAULT_TRUST_PROXY = 'loopback,linklocal,uniquelocal';
export type TrustProxy = boolean | number | string;

type Env = Record<string, string | undefined>;

/** The settings, their defaults and their help text: one table that `--help` and the README follow. */
export const SETTINGS = [
  ['PORT', '3001', 'TCP port, 1-65535; if unset, FC_SERVER_PORT (set by Function Compute)'],
  ['STORE', 'file', 'where todos live: "file" (DB_FILE), "memory" (lost on exit) or "postgres" (DATABASE_URL)'],
  ['DB_FILE', './data/db.json', 'JSON file of the file store; if missing, a copy of the seed db.json'],
  ['DATABASE_URL', '(none)', 'PostgreSQL of STORE=postgres: postgres://user:password@host:5432/database, sslmode as in psql (?sslmode=require)'],
  ['DB_POOL_SIZE', '5', 'most connections this process opens to PostgreSQL (small: instances share the server\'s limit)'],
  ['DB_CONNECT_TIMEOUT_MS', '5000', 'how long to wait for a PostgreSQL connection before answering 503'],
  ['DB_STATEMENT_TIMEOUT_MS', '5000', 'longest a PostgreSQL statement may run before it is cancelled (0: not set by the app; behind a pooler such as PgBouncer, set it on the database role)'],
  ['STATIC_DIR', './public', 'folder of the web frontend to serve'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['LOG_FORMAT', 'auto', 'pretty (a short line per request), json, or auto: pretty on a terminal'],
  ['CORS_ORIGIN', '*', 'origins that may call the API from a browser: *, a comma list (http://localhost:8000,...), or empty for none'],
  ['TRUST_PROXY', DEFAULT_TRUST_PROXY, "proxies whose X-Forwarded-Proto/Host are believed (Express's trust proxy): true, false, a hop count or addresses"],
  ['WORKERS', '1', 'server processes sharing the port; "auto" = one per CPU; more than 1 needs STORE=postgres'],
  ['HEADERS_TIMEOUT_MS', '10000', 'how long a client may take to send the request line and headers; then 408'],
  ['REQUEST_TIMEOUT_MS', '30000', 'how long a client may take to send a whole request, body included; then 408'],
  ['KEEP_ALIVE_TIMEOUT_MS', '5000', 'how long an idle keep-alive connection stays open'],
  ['MAX_CONNECTIONS', 'auto', 'open connections at most; "auto": half the open-file limit left after 64 for the server itself'],
] as const;

type SettingName = (typeof SETTINGS)[number][0];
/** Settings given on the command line, by setting name. */
export type Flags = Partial<Record<SettingName, string>>;

/** Every setting's command-line flag: DB_FILE is --db-file. */
export const flagOf = (name: string): string => `--${name.toLowerCase().replace(/_/g, '-')}`;

/** A command line that cannot be read; the entry point shows the usage with it. */
export class UsageError extends Error {}

/** Reads `--db-file x`, `--port=3302`, `--help`; throws a UsageError with a one-line message otherwise. */
export function parseCommandLine(args: string[]): { help: boolean; flags: Flags } {
  const options = Object.fromEntries(SETTINGS.map(([name]) => [flagOf(name).slice(2), { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    // Node's messages go on with advice about positional arguments: keep the first sentence.
    throw new UsageError((error as Error).message.split(/\.\s/)[0]);
  }
  const flags: Flags = {};
  for (const [name] of SETTINGS) {
    const value = values[flagOf(name).slice(2)];
    if (typeof value === 'string') flags[name] = value;
  }
  return { help: values.help === true, flags };
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const LOG_FORMATS = ['auto', 'pretty', 'json'] as const;

export function helpText(): string {
  const rows = SETTINGS.map(([name, fallback, text]) => `  ${flagOf(name)} <value>, ${name} (default ${fallback})\n      ${text}`);
  return [
    'Usage: npm start -- [options]   (or: node dist/server.mjs [options])',
    '',
    'Serves the todo API and web app. Each setting is a flag or an environment variable',
    '(`--port 3302` or `PORT=3302`); a flag wins over the environment, and an empty value',
    '(`PORT=`) means the default (for CORS_ORIGIN: no CORS).',
    '',
    ...rows,
    '  -h, --help\n      this text',
    '',
  ].join('\n');
}

/** Reads a setting from its flag, else the environment; an empty value is no value. */
function reader(env: Env, flags: Flags) {
  const given = (name: SettingName): [string, string] | undefined => {
    const flag = flags[name];
    if (flag !== undefined) return flag.trim() ? [flag.trim(), flagOf(name)] : undefined;
    return env[name]?.trim() ? [env[name]!.trim(), name] : undefined;
  };
  return {
    given,
    /** The value given, else the default. */
    value: (name: SettingName) => given(name)?.[0] ?? SETTINGS.find(([key]) => key === name)![1],
    /** Where the value came from, for messages: the flag or the variable. */
    source: (name: SettingName) => given(name)?.[1] ?? name,
  };
}

function wholeNumber({ value, source }: ReturnType<typeof reader>, name: SettingName, min: number, max: number): number {
  const text = value(name);
  const number = Number(text);
  if (!/^\d+$/.test(text) || number < min || number > max) throw new Error(`${source(name)} must be a whole number from ${min} to ${max}, got "${text}"`);
  return number;
}

/**
 * The PostgreSQL settings (server and Function Compute entries alike). DATABASE_URL is never
 * repeated in a message: it holds the password.
 */
export function loadDatabaseSettings(env: Env, flags: Flags = {}): PostgresSettings {
  const settings = reader(env, flags);
  const url = settings.given('DATABASE_URL')?.[0];
  if (!url) throw new Error('STORE=postgres needs DATABASE_URL, such as postgres://user:password@host:5432/database');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error('DATABASE_URL is not a URL; expected postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  const sslmode = parsed.searchParams.get('sslmode');
  if (sslmode !== null && !['disable', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'].includes(sslmode)) {
    throw new Error(`DATABASE_URL's sslmode must be disable, prefer, require, verify-ca or verify-full, got "${sslmode}"`);
  }
  return {
    url,
    poolSize: wholeNumber(settings, 'DB_POOL_SIZE', 1, 1000),
    connectTimeoutMs: wholeNumber(settings, 'DB_CONNECT_TIMEOUT_MS', 1, 600_000),
    statementTimeoutMs: wholeNumber(settings, 'DB_STATEMENT_TIMEOUT_MS', 0, 3_600_000),
  };
}

/**
 * Reads and checks the settings, each from its flag or else the environment; throws an Error with
 * a one-line explanation, naming the flag or variable, when a value is off.
 */
export function loadConfig(env: Env, flags: Flags = {}): Config {
  const settings = reader(env, flags);
  const { given, value, source } = settings;

  // Function Compute 3.0 starts a custom runtime with the port it forwards to in FC_SERVER_PORT.
  const fcPort = flags.PORT === undefined && !given('PORT') ? env.FC_SERVER_PORT?.trim() : undefined;
  const portName = fcPort ? 'FC_SERVER_PORT' : source('PORT');
  const portText = fcPort || value('PORT');
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw new Error(`${portName} must be a number from 1 to 65535, got "${portText}"`);

  const store = value('STORE');
  if (store !== 'file' && store !== 'memory' && store !== 'postgres') throw new Error(`${source('STORE')} must be "file", "memory" or "postgres", got "${store}"`);
  const database = store === 'postgres' ? loadDatabaseSettings(env, flags) : undefined;

  const staticDir = resolve(value('STATIC_DIR'));
  if (!existsSync(staticDir) || !statSync(staticDir).isDirectory()) throw new Error(`${source('STATIC_DIR')} ${staticDir} is not a folder`);

  const logLevel = value('LOG_LEVEL');
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`${source('LOG_LEVEL')} must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const logFormat = value('LOG_FORMAT') as Config['logFormat'];
  if (!LOG_FORMATS.includes(logFormat)) throw new Error(`${source('LOG_FORMAT')} must be one of ${LOG_FORMATS.join(', ')}, got "${logFormat}"`);

  const workersText = value('WORKERS');
  const workers = workersText === 'auto' ? availableParallelism() : Number(workersText);
  if (!(workersText === 'auto' || /^\d+$/.test(workersText)) || workers < 1) {
    throw new Error(`${source('WORKERS')} must be a whole number from 1, or "auto", got "${workersText}"`);
  }
  if (workers > 1 && (store === 'file' || store === 'memory')) {
    const why = store === 'file' ? 'a db.json has exactly one writer' : 'the memory store lives in one process';
    throw new Error(`WORKERS=${workersText} needs STORE=postgres: ${why}; run one process or use STORE=postgres`);
  }

  const headersTimeout = wholeNumber(settings, 'HEADERS_TIMEOUT_MS', 1, 3_600_000);
  const requestTimeout = wholeNumber(settings, 'REQUEST_TIMEOUT_MS', 1, 3_600_000);
  if (headersTimeout > requestTimeout) throw new Error(`HEADERS_TIMEOUT_MS (${headersTimeout}) must not be longer than REQUEST_TIMEOUT_MS (${requestTimeout})`);
  const keepAliveTimeout = wholeNumber(settings, 'KEEP_ALIVE_TIMEOUT_MS', 1, 3_600_000);
  const connections = value('MAX_CONNECTIONS');
  if (connections !== 'auto' && (!/^\d+$/.test(connections) || Number(connections) < 1)) {
    throw new Error(`${source('MAX_CONNECTIONS')} must be "auto" or a whole number above 0, got "${connections}"`);
  }
  const maxConnections = connections === 'auto' ? 'auto' : Number(connections);
  // Set but empty turns CORS off, so CORS_ORIGIN is read as given, not through value().
  const corsOrigin = parseCorsOrigin(flags.CORS_ORIGIN ?? env.CORS_ORIGIN ?? SETTINGS.find(([key]) => key === 'CORS_ORIGIN')![1]);

  return {
    port,
    store,
    dbFile: resolve(value('DB_FILE')),
    database,
    staticDir,
    logLevel,
    logFormat,
    corsOrigin,
    trustProxy: parseTrustProxy(value('TRUST_PROXY')),
    workers,
    headersTimeout,
    requestTimeout,
    keepAliveTimeout,
    maxConnections,
  };
}

/** `*`, a comma list of origins, or an empty text (no CORS). */
export function parseCorsOrigin(text: string): CorsOrigin {
  const origins = text.split(',').map((origin) => origin.trim()).filter(Boolean);
  if (origins.length === 0) return false;
  if (origins.includes('*')) {
    if (origins.length > 1) throw new Error(`CORS_ORIGIN is either * or a list of origins, got "${text}"`);
    return '*';
  }
  for (const origin of origins) {
    // What a browser sends in Origin: scheme, host and optional port, no path or trailing slash.
    if (!/^https?:\/\/[^/\s]+$/.test(origin)) throw new Error(`CORS_ORIGIN entries look like http://localhost:8000 (no path), got "${origin}"`);
  }
  return origins;
}

/** Express's `trust proxy` forms: true, false, a number of hops, or a comma list of addresses and names. */
export function parseTrustProxy(text: string): TrustProxy {
  if (text === 'true' || text === 'false') return text === 'true';
  if (/^\d+$/.test(text)) return Number(text);
  if (!/^[\w.:/]+(\s*,\s*[\w.:/]+)*$/.test(text)) throw new Error(`TRUST_PROXY must be true, false, a number or a comma list of addresses, got "${text}"`);
  return text;
}
