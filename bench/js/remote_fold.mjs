// How many events/s the dashboard page folds while it watches a native node (issue 14), in
// Debian's headless Chromium (playwright-core, software WebGL): bench_inspector --serve floods
// its engine at a given rate and serves the demo site; the page attaches through the node's
// inspector over the browser's WebSocket. For each rate: the events the page's model folded per
// second (from its report, over --seconds windows), the events it missed (gaps), the lag its
// header shows and the page's frames/s (it folds once per frame, at most the server's window);
// median of --runs windows with min-max. Then the lag from an event to the frame that shows it:
// probe actors the node spawns on request, timed on the wall clock both processes read.
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
  const probeAnswers = [];  // resolvers waiting for "probe SEQ WALL_MS", in order
  const page = new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('page ')) resolve(line.slice(5));
      if (line.startsWith('probe ')) {
        const [, seq, at] = line.split(' ');
        probeAnswers.shift()?.({ seq: Number(seq), at: Number(at) });
      }
    });
    child.once('exit', (code) => reject(new Error(`bench_inspector exited (${code}) before serving`)));
  });
  // The node spawns an actor and says when (its wall clock, which Date.now() in the page reads
  // too) and a sequence number at or past that actor's event.
  const probe = () => new Promise((resolve) => { probeAnswers.push(resolve); child.stdin.write('probe\n'); });
  return { child, page, probe };
}

// Event -> the frame that shows it, in the page: every frame (after the dashboard's own fold in
// that frame) the page notes the time and the newest sequence number its model folded; a probe's
// lag is from just before the node spawned it to the first frame whose model reached its number.
async function measureLag(page, node, probes) {
  await page.evaluate(() => {
    window.benchSeen = [];
    const f = () => {
      window.benchSeen.push([Date.now(), window.demo.report().lastSeq]);
      if (window.benchSeen.length > 20000) window.benchSeen.splice(0, 10000);
      requestAnimationFrame(f);
    };
    requestAnimationFrame(f);
  });
  const lags = [];
  let unseen = 0;
  for (let i = 0; i < probes; i++) {
    const p = await node.probe();
    let shown = null;
    for (const until = Date.now() + 3000; shown === null && Date.now() < until;) {
      await new Promise((r) => setTimeout(r, 50));
      shown = await page.evaluate((seq) => {
        const hit = window.benchSeen.find(([, s]) => s >= seq);
        return hit ? hit[0] : null;
      }, p.seq);
    }
    if (shown === null) unseen++;
    else lags.push(shown - p.at);
    await new Promise((r) => setTimeout(r, 20 + Math.random() * 30));  // probes fall at any phase of a frame
  }
  await page.evaluate(() => { window.benchSeen = []; });
  return { lags, unseen };
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
      // The lag in separate windows: its per-frame bookkeeping would weigh on the fold rate above.
      const lag50 = [], lag99 = [];
      let unseen = 0;
      for (let r = 0; r < runs; r++) {
        const l = await measureLag(page, node, 10);
        unseen += l.unseen;
        if (l.lags.length) {
          const s = [...l.lags].sort((a, b) => a - b);
          lag50.push(s[Math.floor((s.length - 1) / 2)]);
          lag99.push(s[s.length - 1]);
        }
      }
      rows.push({ rate, folded: stats(folded), missed: stats(missed), lag: stats(lag), fps: stats(fps),
        e2e50: lag50.length ? stats(lag50) : null, e2eMax: lag99.length ? stats(lag99) : null, unseen });
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
const na = (x) => (x ? fmt(x) : '–');
console.log(`| offered events/s | folded by the page, events/s | missed per ${seconds} s window | header lag, ms | page frames/s | event -> frame, ms: median of 10 | slowest of 10 | probes never shown |`);
console.log('|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.rate} | ${fmt(r.folded)} | ${fmt(r.missed)} | ${fmt(r.lag)} | ${fmt(r.fps, 1)} | ${na(r.e2e50)} | ${na(r.e2eMax)} | ${r.unseen} |`);
console.log(`(median of ${runs} windows of ${seconds} s, min–max; event -> frame: ${runs} windows of 10 probes; Chromium headless, SwiftShader WebGL)`);
