import pg from 'pg';
import { databasePerFile } from '../postgres/database';
import { startServer, type RunningServer } from '../server-process';
import { send } from './http';

// Several independent servers on one database, as Function Compute runs instances: clients write
// through all of them, one is killed with SIGKILL in the middle, and nothing answered is lost.

const database = databasePerFile();
jest.setTimeout(120_000);

async function rows(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: database.url() });
  await client.connect();
  try {
    return (await client.query(sql, values)).rows;
  } finally {
    await client.end();
  }
}

it('three instances on one database, one killed with SIGKILL under write load, lose no answered write', async () => {
  const instances: RunningServer[] = [];
  for (let i = 0; i < 3; i++) instances.push(await startServer({ STORE: 'postgres', DATABASE_URL: database.url(), LOG_LEVEL: 'warn' }));
  const [, victim] = instances;
  try {
    // Todos whose fields two instances will change at the same moment, one field each.
    const shared: number[] = [];
    for (let i = 0; i < 20; i++) shared.push((await send(`${instances[i % 3].url}/api/rule`, 'POST', { name: `shared ${i}` })).body.data.key);

    const acknowledged: number[] = [];
    const updates: { key: number; round: number }[] = [];
    let stop = false;
    let victimDead = false;
    // 12 clients, each writing through its own instance in turn, as fast as they are answered.
    const clients = Array.from({ length: 12 }, async (_, client) => {
      for (let i = 0; !stop; i++) {
        const instance = instances[(client + i) % 3];
        if (instance === victim && victimDead) continue;
        try {
          const created = await send(`${instance.url}/api/rule`, 'POST', { name: `client ${client} #${i}`, desc: 'x'.repeat(100) });
          if (created.status === 201) acknowledged.push(created.body.data.key);
          else throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
        } catch (error) {
          if (instance !== victim) throw error; // only the killed one may fail
        }
      }
    });
    // Meanwhile, concurrent updates of different fields of one todo through two different instances.
    const updaters = (async () => {
      for (let round = 0; !stop; round++) {
        const key = shared[round % shared.length];
        const [a, b] = [instances[0], instances[2]];
        const answers = await Promise.all([
          send(`${a.url}/api/rule/${key}`, 'PUT', { desc: `desc from A, round ${round}` }),
          send(`${b.url}/api/rule/${key}`, 'PUT', { progress: round % 101 }),
        ]);
        expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
        updates.push({ key, round });
      }
    })();

    const waitFor = async (count: number) => {
      for (const deadline = Date.now() + 60_000; acknowledged.length < count; ) {
        if (Date.now() > deadline) throw new Error(`only ${acknowledged.length} writes answered`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    await waitFor(150);
    victim.child.kill('SIGKILL');
    victimDead = true;
    await victim.exited;
    const atKill = acknowledged.length;
    await waitFor(atKill + 150); // the others go on serving
    // And enough update rounds to judge them: how many fit beside the creates depends on the machine.
    for (const deadline = Date.now() + 60_000; updates.length <= 20 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    stop = true;
    await Promise.all([...clients, updaters]);

    // Every answered create is in the database, once, under the key it was answered with.
    expect(new Set(acknowledged).size).toBe(acknowledged.length);
    const stored = new Set((await rows('SELECT key FROM todos WHERE key = ANY($1)', [acknowledged])).map((row) => Number(row.key)));
    expect(acknowledged.filter((key) => !stored.has(key))).toEqual([]);

    // Both instances' changes to each shared todo are kept: the last round's desc and progress.
    expect(updates.length).toBeGreaterThan(20);
    const last = new Map<number, number>();
    for (const { key, round } of updates) last.set(key, round);
    const after = await rows('SELECT key, "desc", progress FROM todos WHERE key = ANY($1)', [[...last.keys()]]);
    for (const row of after) {
      const round = last.get(Number(row.key))!;
      expect({ key: Number(row.key), desc: row.desc, progress: Number(row.progress) }).toEqual({ key: Number(row.key), desc: `desc from A, round ${round}`, progress: round % 101 });
    }
  } finally {
    for (const instance of instances) await instance.stop();
  }
});
