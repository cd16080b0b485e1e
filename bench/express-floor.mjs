// The framework floor: Express 4 with no middleware answering a precomputed page with res.json,
// i.e. what any Express app pays per page read before its own work. Started by bench/run.mjs.
import { readFileSync } from 'node:fs';
import express from 'express';

const [pagePath, port] = process.argv.slice(2);
const page = JSON.parse(readFileSync(pagePath, 'utf8'));

const app = express();
app.set('etag', false);
app.get('/api/rule', (_req, res) => res.json(page));
app.listen(Number(port), '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
