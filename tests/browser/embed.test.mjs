// Loads web/embed.html in Debian's headless chromium (driven by playwright-core; never a
// downloaded browser) and checks the page runs the actors, shows their events and counters, and
// survives a crash. Needs the wasm build in build/wasm/dist (or --dist via $ACTORS_DIST).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(repoRoot, 'build', 'wasm', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function distDir() {
  const d = process.env.ACTORS_DIST;
  if (!d) return undefined;  // the server's default, build/wasm/dist
  return path.resolve(/\.m?js$/.test(d) ? path.dirname(d) : d);
}

test('web/embed.html runs the actors, shows events and counters, and survives a crash', async (t) => {
  const server = await startServer({ port: 0, dist: distDir() });
  const profile = await mkdtemp(path.join(os.tmpdir(), 'actors-chromium-'));
  let context;
  t.after(async () => {
    await context?.close().catch(() => {});
    await server.close();
    await rm(profile, { recursive: true, force: true });
  });

  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: 1000, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());

  // Any page error, console error or failed/404 request fails the test, with the message.
  const problems = [];
  let onProblem = () => {};
  const problem = (text) => { problems.push(text); onProblem(text); };
  page.on('pageerror', (e) => problem(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problem(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => problem(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problem(`HTTP ${r.status()} for ${r.url()}`); });
  const failure = new Promise((_, reject) => { onProblem = (text) => reject(new Error(`the page reported a problem: ${text}`)); });
  failure.catch(() => {});
  const orFail = (promise) => Promise.race([promise, failure]);
  const noProblems = (when) => assert.deepEqual(problems, [], `problems ${when}:\n${problems.join('\n')}`);

  const eventsOf = () => page.$$eval('#events li', (lis) => lis.map((li) => ({ kind: li.dataset.kind, text: li.textContent })));

  // --- load -------------------------------------------------------------------------------------
  const response = await page.goto(new URL('embed.html', server.url).href);
  assert.equal(response.status(), 200);
  await orFail(page.waitForSelector('body[data-ready="true"]'));
  noProblems('while loading');

  const events = await eventsOf();
  for (const name of ['greeter', 'counter', 'crashy']) {
    const spawned = events.find((e) => e.kind === 'spawned' && e.text.includes(name));
    assert.ok(spawned, `no 'spawned' event for ${name} in:\n${events.map((e) => e.text).join('\n')}`);
    const pid = spawned.text.match(/<\d+\.\d+\.\d+>/)?.[0];
    assert.ok(pid, `no pid in '${spawned.text}'`);
    assert.ok(events.some((e) => e.kind === 'started' && e.text.includes(pid)), `no 'started' event for ${name} ${pid}`);
  }

  const counters = await page.textContent('#counters');
  const processed = Number(counters.match(/processed (\d+)/)?.[1]);
  assert.ok(processed > 0, `counters should show processed > 0: '${counters}'`);
  assert.match(await page.textContent('#reply'), /hello web/);

  // --- send -------------------------------------------------------------------------------------
  await page.fill('#name', 'chromium');
  await page.click('#send');
  await orFail(page.waitForFunction(() => document.querySelector('#reply').textContent.includes('hello chromium')));
  assert.match(await page.textContent('#reply'), /counter total 2/);

  // --- crash: the actor fails and its supervisor restarts it -------------------------------------
  await page.click('#crash');
  await orFail(page.waitForSelector('#events li[data-kind="restarted"]'));
  const afterCrash = await eventsOf();
  const failed = afterCrash.find((e) => e.kind === 'failed');
  assert.ok(failed && failed.text.includes('crashy') && failed.text.includes('crash button pressed'), `failed event: ${failed?.text}`);
  assert.ok(afterCrash.find((e) => e.kind === 'restarted').text.includes('crashy'));
  await orFail(page.waitForFunction(() => /restarts 1\b/.test(document.querySelector('#counters').textContent)));
  noProblems('after the crash');

  await mkdir(artifacts, { recursive: true });
  const shot = path.join(artifacts, 'embed.png');
  await page.screenshot({ path: shot, fullPage: true });
  assert.ok((await stat(shot)).size > 0);

  // --- stop: a graceful shutdown shows every actor stopping, and nothing breaks ------------------
  await page.click('#stop');
  await orFail(page.waitForFunction(() => document.querySelectorAll('#events li[data-kind="stopped"]').length >= 3));
  assert.equal(await page.isDisabled('#send'), true);
  noProblems('after stop');
});
