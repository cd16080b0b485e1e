// The browser app: web/ (TypeScript + Preact) bundled into public/, which is pure build output.
// Scripts and styles get content-hashed names (cached for a year by src/http/static-site.ts);
// index.html, avatar.svg and the manifest keep fixed names and are revalidated on every visit.
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { deflateSync } from 'node:zlib';
import { build } from 'esbuild';

const OUT = 'public';

export async function buildWeb() {
  rmSync(OUT, { recursive: true, force: true });
  cpSync('web/static', OUT, { recursive: true });

  const { metafile } = await build({
    entryPoints: ['web/main.tsx'],
    outdir: `${OUT}/assets`,
    entryNames: '[name]-[hash]',
    assetNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome100', 'safari15', 'firefox100'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    metafile: true,
    logLevel: 'warning',
  });

  const urls = {};
  for (const file of Object.keys(metafile.outputs)) urls[basename(file).replace(/-[^-]+(\.\w+)$/, '$1')] = `/${file.slice(OUT.length + 1)}`;
  for (const [name, size, rounded] of ICONS) urls[name] = writeHashed(`assets/${name}`, 'png', drawIcon(size, rounded));

  writeFileSync(
    `${OUT}/manifest.webmanifest`,
    JSON.stringify({
      name: 'Todos · 待办事项',
      short_name: 'Todos',
      start_url: '/',
      display: 'standalone',
      background_color: '#f3f4f6',
      theme_color: '#1e3a8a',
      icons: ICONS.filter(([name]) => name.startsWith('icon-')).map(([name, size]) => ({ src: urls[name], sizes: `${size}x${size}`, type: 'image/png' })),
    }),
  );

  const page = readFileSync('web/index.html', 'utf8').replace(/\{\{([\w.-]+)\}\}/g, (_, name) => {
    if (!urls[name]) throw new Error(`web/index.html names ${name}, which the build does not produce`);
    return urls[name];
  });
  writeFileSync(`${OUT}/index.html`, page);
}

function writeHashed(stem, ext, bytes) {
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 10);
  const path = `${stem}-${hash}.${ext}`;
  mkdirSync(`${OUT}/assets`, { recursive: true });
  writeFileSync(`${OUT}/${path}`, bytes);
  return `/${path}`;
}

// --- icons: a white check mark on a blue tile, drawn here so no binary lives in git -------------

// [name, size, rounded corners]. iOS rounds the touch icon itself and wants it opaque.
const ICONS = [
  ['icon-32', 32, true],
  ['icon-192', 192, true],
  ['icon-512', 512, true],
  ['apple-touch-icon', 180, false],
];

const TILE = [29, 78, 216]; // #1d4ed8
const CHECK = [[0.27, 0.52], [0.43, 0.68], [0.74, 0.35]];

function segmentDistance([px, py], [ax, ay], [bx, by]) {
  const [dx, dy] = [bx - ax, by - ay];
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - ax - t * dx, py - ay - t * dy);
}

/** Coverage of the tile and of the check at a point in unit coordinates. */
function shade(x, y, rounded) {
  const radius = rounded ? 0.2 : 0;
  const qx = Math.max(Math.abs(x - 0.5) - (0.5 - radius), 0);
  const qy = Math.max(Math.abs(y - 0.5) - (0.5 - radius), 0);
  const inTile = Math.hypot(qx, qy) <= radius;
  const inCheck = Math.min(segmentDistance([x, y], CHECK[0], CHECK[1]), segmentDistance([x, y], CHECK[1], CHECK[2])) <= 0.055;
  return [inTile, inCheck];
}

function drawIcon(size, rounded) {
  const SAMPLES = 4; // per axis, for smooth edges
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    const row = y * (size * 4 + 1); // each row starts with filter type 0
    for (let x = 0; x < size; x++) {
      let tile = 0;
      let check = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const [inTile, inCheck] = shade((x + (sx + 0.5) / SAMPLES) / size, (y + (sy + 0.5) / SAMPLES) / size, rounded);
          if (inTile) tile++;
          if (inTile && inCheck) check++;
        }
      }
      const white = tile ? check / tile : 0;
      const at = row + 1 + x * 4;
      for (let c = 0; c < 3; c++) rows[at + c] = Math.round(TILE[c] + (255 - TILE[c]) * white);
      rows[at + 3] = Math.round((255 * tile) / (SAMPLES * SAMPLES));
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA, no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(rows, { level: 9 })),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
