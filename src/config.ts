import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ConnectionLimits } from './http/node-server';

export interface Config extends ConnectionLimits {
  port: number;
  store: 'file' | 'memory';
  dbFile: string;
  staticDir: string;
  logLevel: string;
}

type Env = Record<string, string | undefined>;

/** The settings, their defaults and their help text: one table that `--help` and the README follow. */
export const SETTINGS = [
  ['PORT', '3001', 'TCP port to listen on (1-65535); if unset, FC_SERVER_PORT (Function Compute custom runtime)'],
  ['STORE', 'file', 'where todos live: "file" (DB_FILE) or "memory" (lost on exit)'],
  ['DB_FILE', './db.json', 'JSON file of the file store; created with a welcome todo if missing'],
  ['STATIC_DIR', './public', 'folder of the web frontend to serve'],
  ['LOG_LEVEL', 'info', 'fatal, error, warn, info, debug, trace or silent'],
  ['HEADERS_TIMEOUT', '10', 'seconds a client has to send the request line and headers; then 408'],
  ['REQUEST_TIMEOUT', '30', 'seconds a client has to send a whole request, body included; then 408'],
  ['KEEP_ALIVE_TIMEOUT', '5', 'seconds an idle keep-alive connection stays open'],
  ['MAX_CONNECTIONS', 'auto', 'open connections at most; "auto": half the open-file limit left after 64 for the server itself'],
] as const;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function helpText(): string {
  const width = Math.max(...SETTINGS.map(([name]) => name.length));
  const rows = SETTINGS.map(([name, fallback, text]) => `  ${name.padEnd(width)} ${text} (default ${fallback})`);
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

  const seconds = (name: 'HEADERS_TIMEOUT' | 'REQUEST_TIMEOUT' | 'KEEP_ALIVE_TIMEOUT') => {
    const text = value(name);
    if (!/^\d+(\.\d+)?$/.test(text) || Number(text) <= 0) throw new Error(`${name} must be a number of seconds above 0, got "${text}"`);
    return Math.round(Number(text) * 1000);
  };
  const headersTimeout = seconds('HEADERS_TIMEOUT');
  const requestTimeout = seconds('REQUEST_TIMEOUT');
  if (headersTimeout > requestTimeout) throw new Error(`HEADERS_TIMEOUT (${value('HEADERS_TIMEOUT')}) must not be longer than REQUEST_TIMEOUT (${value('REQUEST_TIMEOUT')})`);

  const connectionsText = value('MAX_CONNECTIONS');
  if (connectionsText !== 'auto' && (!/^\d+$/.test(connectionsText) || Number(connectionsText) < 1)) {
    throw new Error(`MAX_CONNECTIONS must be "auto" or a whole number above 0, got "${connectionsText}"`);
  }
  const maxConnections = connectionsText === 'auto' ? 'auto' : Number(connectionsText);

  return {
    port,
    store,
    dbFile: resolve(value('DB_FILE')),
    staticDir,
    logLevel,
    headersTimeout,
    requestTimeout,
    keepAliveTimeout: seconds('KEEP_ALIVE_TIMEOUT'),
    maxConnections,
  };
}
