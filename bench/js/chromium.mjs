// The JS benchmark in Debian's Chromium (headless, driven by playwright-core, never a downloaded
// browser): the same workloads as bench/js/node.mjs, in a page served from 127.0.0.1. Writes
// <out>/js-chromium.json and <out>/js-chromium.md.
//   node bench/js/chromium.mjs [--dist DIR] [--out DIR] [--runs N]
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { table } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const args = { dist: path.join(repo, 'build/wasm/dist'), out: path.join(repo, 'build/bench'), runs: 7 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args) || argv[i + 1] === undefined) {
    console.error(`usage: node bench/js/chromium.mjs [--dist DIR] [--out DIR] [--runs N] (got '${argv[i]}')`);
    process.exit(2);
  }
  args[key] = key === 'runs' ? Number(argv[i + 1]) : argv[i + 1];
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>actors vs XState</title>
<script type="module">
  import { createRuntime } from '/dist/actors.mjs';
  import * as xstate from '/xstate/xstate.esm.js';
  import { runAll } from '/bench/workloads.mjs';
  window.runBench = async (runs) => {
    const runtime = await createRuntime();
    return runAll({ createEngine: (o) => runtime.createEngine(o), xstate }, { runs });
  };
  window.benchReady = true;
</script>`;

// URL prefix -> folder; only these files, no '..'.
const roots = {
  '/dist/': path.resolve(args.dist),
  '/xstate/': path.join(here, 'node_modules/xstate/dist'),
  '/bench/': here,
};
const TYPES = { '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const server = http.createServer(async (req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    return;
  }
  const prefix = Object.keys(roots).find((p) => url.pathname.startsWith(p));
  const rel = prefix && decodeURIComponent(url.pathname.slice(prefix.length));
  const type = rel && TYPES[path.extname(rel)];
  if (!type || rel.includes('..') || rel.includes('/')) {
    res.writeHead(404).end();
    return;
  }
  try {
    res.writeHead(200, { 'content-type': type }).end(await readFile(path.join(roots[prefix], rel)));
  } catch {
    res.writeHead(404).end();
  }
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const profile = await mkdtemp(path.join(os.tmpdir(), 'actors-bench-chromium-'));
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.benchReady === true || undefined, null, { timeout: 30_000 });
  const version = context.browser()?.version() ?? (await page.evaluate(() => navigator.userAgent));
  const rows = await page.evaluate((runs) => window.runBench(runs), args.runs);
  if (problems.length) throw new Error(`the page reported: ${problems.join('; ')}`);
  for (const r of rows) console.error(`[js chromium] ${r.name}: ours ${r.ours.median.toFixed(3)} ${r.unit}${r.xstate ? `, xstate ${r.xstate.median.toFixed(3)}` : ''}`);
  const where = `Chromium ${version}`;
  const md = table(rows, where);
  await mkdir(args.out, { recursive: true });
  const loadavg = os.loadavg();
  await writeFile(path.join(args.out, 'js-chromium.json'), JSON.stringify({ where, xstate: '5.33.3', loadavg, rows }, null, 2) + '\n');
  await writeFile(path.join(args.out, 'js-chromium.md'), `${md}\n\nLoad average at the end (1, 5, 15 min): ${loadavg.map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores.\n`);
  console.log(md);
} finally {
  await context?.close().catch(() => {});
  server.close();
  await rm(profile, { recursive: true, force: true });
}
