// How many events/s the dashboard page folds while it watches a native node (issue 14), in
// Debian's headless Chromium (playwright-core, software WebGL): bench_inspector --serve floods
// its engine at a given rate and serves the demo site; the page attaches through the node's
// inspector over the browser's WebSocket. For each rate: the events the page's model folded per
// second (from its report, over --seconds windows), the events it missed (gaps), the lag its
// header shows and the page's frames/s (it folds once per frame, at most the server's window);
// median of --runs windows with min-max.
//   node bench/js/remote_fold.mjs [--node build/native-release/bench/bench_inspector]
//        [--site build/wasm/site] [--runs 7] [--seconds 2] [--rates 20000,100000,400000] [--batch N]
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const args = {
  node: path.join(repo, 'build/native-release/bench/bench_inspector'),
  site: path.join(repo, 'build/wasm/site'),
  runs: '7',
  seconds: '2',
  rates: '20000,100000,400000',
  batch: '',  // the server's events per frame (bench_inspector --batch); '' = its default
};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args) || argv[i + 1] === undefined) {
    console.error(`usage: node bench/js/remote_fold.mjs [--node PATH] [--site DIR] [--runs N] [--seconds S] [--rates A,B] [--batch N] (got '${argv[i]}')`);
    process.exit(2);
  }
  args[key] = argv[i + 1];
}
const runs = Number(args.runs);
const seconds = Number(args.seconds);

const stats = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const n = s.length;
  return { median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, min: s[0], max: s[n - 1] };
};
const fmt = (s, digits = 0) => `${s.median.toFixed(digits)} (${s.min.toFixed(digits)}–${s.max.toFixed(digits)})`;

function startNode(rate) {
  const extra = args.batch ? ['--batch', args.batch] : [];
  const child = spawn(args.node, ['--serve', args.site, '--rate', String(rate), ...extra], { stdio: ['pipe', 'pipe', 'inherit'] });
  const page = new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('page ')) resolve(line.slice(5));
    });
    child.once('exit', (code) => reject(new Error(`bench_inspector exited (${code}) before serving`)));
  });
  return { child, page };
}

const profile = await mkdtemp(path.join(os.tmpdir(), 'actors-bench-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 800 },
  args: ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
});
const rows = [];
try {
  for (const rate of args.rates.split(',').map(Number)) {
    const node = startNode(rate);
    try {
      const page = await context.newPage();
      await page.goto(await node.page);
      await page.waitForFunction(() => window.demo?.status?.().state === 'attached', null, { timeout: 60_000 });
      await page.waitForTimeout(1000);  // past the snapshot and the first burst
      // The page's frames: it folds once per frame, at most the server's window each time.
      await page.evaluate(() => { window.benchFrames = 0; const f = () => { window.benchFrames++; requestAnimationFrame(f); }; requestAnimationFrame(f); });
      const folded = [], missed = [], lag = [], fps = [];
      for (let r = 0; r < runs; r++) {
        const a = await page.evaluate(() => ({ ...window.demo.report(), frames: window.benchFrames }));
        const t0 = Date.now();
        const lags = [];
        while (Date.now() - t0 < seconds * 1000) {
          await page.waitForTimeout(250);
          lags.push(await page.evaluate(() => window.demo.status().lagMs));
        }
        const b = await page.evaluate(() => ({ ...window.demo.report(), frames: window.benchFrames }));
        const dt = (Date.now() - t0) / 1000;
        folded.push((b.eventsFolded - a.eventsFolded) / dt);
        missed.push(b.missedEvents - a.missedEvents);
        fps.push((b.frames - a.frames) / dt);
        lag.push(stats(lags).median);
      }
      rows.push({ rate, folded: stats(folded), missed: stats(missed), lag: stats(lag), fps: stats(fps) });
      await page.close();
    } finally {
      node.child.stdin.end();
      node.child.kill('SIGTERM');
    }
  }
} finally {
  await context.close();
  await rm(profile, { recursive: true, force: true });
}
console.log(`| offered events/s | folded by the page, events/s | missed per ${seconds} s window | header lag, ms | page frames/s |`);
console.log('|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.rate} | ${fmt(r.folded)} | ${fmt(r.missed)} | ${fmt(r.lag)} | ${fmt(r.fps, 1)} |`);
console.log(`(median of ${runs} windows of ${seconds} s, min–max; Chromium headless, SwiftShader WebGL)`);
