// Serves a `vite build` output (dist/) on 127.0.0.1 and checks in Debian's headless chromium
// (driven by playwright-core, never a downloaded browser) that the greeter actor answered on the
// page. Fails on any page error, console error, failed request or HTTP error, and when the
// answer does not appear within the time limit; always closes the browser and the server.
//
//   node tests/package/vite-app/check.mjs <dist dir> [expected answer, default "hello vite"]
//
// playwright-core comes from the repository's own node_modules (scripts/setup.sh runs npm ci).
import http from 'node:http';
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const [distArg, expected = 'hello vite'] = process.argv.slice(2);
if (!distArg) {
  console.error('usage: node check.mjs <dist dir> [expected answer]');
  process.exit(2);
}
const dist = path.resolve(distArg);
const TIMEOUT_MS = 30_000;

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

function serve(root) {
  const server = http.createServer(async (req, res) => {
    let rel = decodeURIComponent((req.url ?? '/').split(/[?#]/, 1)[0]);
    if (rel.endsWith('/')) rel += 'index.html';
    const file = path.join(root, path.normalize(rel));
    const type = MIME[path.extname(file).toLowerCase()];
    const ok = type && file.startsWith(root + path.sep) && (await stat(file).catch(() => null))?.isFile();
    if (!ok) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      return res.end(`not found: ${rel}\n`);
    }
    const body = await readFile(file);
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': body.length, 'Cache-Control': 'no-store' });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));  // port 0: a free port
  });
}

const server = await serve(dist);
const url = `http://127.0.0.1:${server.address().port}/`;
const profile = await mkdtemp(path.join(os.tmpdir(), 'actors-vite-chromium-'));
let context;
let failed = false;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  let onProblem = () => {};
  const problem = (text) => { problems.push(text); onProblem(text); };
  const wasm = [];
  page.on('pageerror', (e) => problem(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problem(`console error: ${m.text()} (${m.location()?.url})`); });
  page.on('requestfailed', (r) => problem(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) problem(`HTTP ${r.status()} for ${r.url()}`);
    if (new URL(r.url()).pathname.endsWith('.wasm')) wasm.push(`${new URL(r.url()).pathname} ${r.headers()['content-type']}`);
  });
  const reported = new Promise((_, reject) => { onProblem = (text) => reject(new Error(`the page reported a problem: ${text}`)); });
  reported.catch(() => {});

  const started = Date.now();
  const response = await page.goto(url, { timeout: TIMEOUT_MS });
  if (response?.status() !== 200) throw new Error(`GET ${url}: HTTP ${response?.status()}`);
  await Promise.race([
    page.waitForFunction((want) => document.querySelector('#answer')?.textContent === want, expected, { timeout: TIMEOUT_MS }),
    reported,
  ]);
  const answer = await page.textContent('#answer');
  const spawned = Number(await page.textContent('#spawned'));
  const codes = await page.getAttribute('body', 'data-codes');
  console.log(`answer "${answer}" after ${Date.now() - started} ms; actors spawned ${spawned}; codes ${codes}`);
  console.log(`wasm fetched: ${wasm.join(', ') || 'none'}`);
  if (problems.length) throw new Error(`problems:\n${problems.join('\n')}`);
  if (!(spawned >= 2)) throw new Error(`#spawned is ${spawned}, want at least 2`);
  if (wasm.length !== 1 || !wasm[0].endsWith(' application/wasm')) throw new Error(`want one .wasm served as application/wasm, got: ${wasm.join(', ')}`);
  console.log(`ok: ${url} answered "${expected}"`);
} catch (e) {
  failed = true;
  console.error(e?.stack ?? String(e));
} finally {
  await context?.close().catch(() => {});
  await new Promise((done) => { server.close(() => done()); server.closeAllConnections?.(); });
  await rm(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
