// The ceiling: a bare node:http server answering one precomputed page, the most any Node server
// can do per request on this machine. Started by bench/run.mjs as its own process, like the app.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const [pagePath, port] = process.argv.slice(2);
const page = readFileSync(pagePath);

createServer((_req, res) => {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': page.length });
  res.end(page);
}).listen(Number(port), '127.0.0.1');

process.on('SIGTERM', () => process.exit(0));
