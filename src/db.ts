import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDatabaseSettings } from './config';
import { DurableJsonFile } from './stores/durable-json-file';
import { describeDatabase, PostgresStore } from './stores/postgres-store';
import { documentSerialiser, toTodoDocument } from './stores/todo-document';

/** `npm run db:migrate | db:import | db:export`: the PostgreSQL store's data, from a terminal. */

const HELP = `Usage:
  npm run db:migrate                               bring the schema up to date (servers also do this at start)
  npm run db:import -- path/to/db.json [--replace] load a db.json (this app's or the course app's) with its keys
  npm run db:export -- path/to/db.json [--force]   write the database out as a db.json the file store reads

The database is DATABASE_URL (postgres://user:password@host:5432/database, sslmode as in psql).
db:import fills a new database (one that holds at most the welcome todo); --replace lets it
replace the todos of a database that has been used. db:export will not overwrite a file unless --force.
`;

async function main(): Promise<void> {
  const { values: flags, positionals } = parseArgs({
    allowPositionals: true,
    options: { replace: { type: 'boolean', default: false }, force: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  const [command, file] = positionals;
  if (flags.help || !command) {
    process.stdout.write(HELP);
    return;
  }
  if (!['migrate', 'import', 'export'].includes(command)) throw new Error(`unknown command "${command}"\n\n${HELP}`);
  if (command !== 'migrate' && !file) throw new Error(`db:${command} needs the path of a db.json\n\n${HELP}`);

  const settings = loadDatabaseSettings(process.env);
  const where = `PostgreSQL at ${describeDatabase(settings.url)}`;
  const store = await PostgresStore.open(settings);
  try {
    if (command === 'migrate') {
      process.stdout.write(`The schema of ${where} is up to date\n`);
    } else if (command === 'import') {
      const path = resolve(file);
      const raw = await (await DurableJsonFile.open<unknown>(path)).read();
      if (raw === null) throw new Error(`${path} does not exist`);
      let loaded;
      try {
        loaded = toTodoDocument(raw);
      } catch (error) {
        throw new Error(`${path} is not a todo database: ${(error as Error).message}`, { cause: error });
      }
      const { document, repairs } = loaded;
      const before = await store.contents();
      // A new database holds the welcome todo at most: nothing of anyone's to lose.
      if (before.lastKey > 1 && !flags.replace) {
        throw new Error(`${where} already holds ${before.todos} todo(s); run again with --replace to replace them with ${path}'s`);
      }
      await store.replaceWith(document);
      const after = await store.contents();
      for (const repair of repairs) process.stdout.write(`Repaired while loading: ${repair}\n`);
      process.stdout.write(`Imported ${document.todos.length} todo(s) and the profile from ${path} into ${where}; new keys start at ${after.lastKey + 1}\n`);
    } else {
      const path = resolve(file);
      if (existsSync(path) && !flags.force) throw new Error(`${path} exists; run again with --force to overwrite it`);
      const document = await store.toDocument();
      await (await DurableJsonFile.open(path, documentSerialiser())).write(document);
      process.stdout.write(`Exported ${document.todos.length} todo(s) from ${where} to ${path}\n`);
    }
  } finally {
    await store.close();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});
