// Shared by the browser tests (not a test file itself): a 127.0.0.1 server for web/ and the
// wasm builds, Debian's chromium driven by playwright-core (never a downloaded browser), and a
// watch on the page that turns any page error, console error or failed request into a failure.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const artifacts = path.join(repoRoot, 'build', 'wasm', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
export const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/**
 * Starts a browser for test `t` (closed after it) and returns {page, orFail(promise),
 * noProblems(when)}: orFail rejects as soon as the page reports a problem, noProblems asserts
 * none was seen so far. `allow`: console errors expected in this test (regular expressions), such
 * as the browser's own line for a WebSocket that could not connect while a server is down.
 */
export async function launchBrowser(t, { args = BASE_ARGS, viewport, allow = [] } = {}) {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'actors-chromium-'));
  let context;
  t.after(async () => {
    await context?.close().catch(() => {});
    await rm(profile, { recursive: true, force: true });
  });
  context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args, viewport });
  const page = context.pages()[0] ?? (await context.newPage());

  const problems = [];
  let onProblem = () => {};
  const problem = (text) => { problems.push(text); onProblem(text); };
  page.on('pageerror', (e) => problem(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !allow.some((re) => re.test(m.text()))) problem(`console error: ${m.text()}`);
  });
  page.on('requestfailed', (r) => problem(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => { if (r.status() >= 400) problem(`HTTP ${r.status()} for ${r.url()}`); });
  const failure = new Promise((_, reject) => { onProblem = (text) => reject(new Error(`the page reported a problem: ${text}`)); });
  failure.catch(() => {});
  const orFail = (promise) => Promise.race([promise, failure]);
  const noProblems = (when) => assert.deepEqual(problems, [], `problems ${when}:\n${problems.join('\n')}`);
  return { page, orFail, noProblems };
}

/** launchBrowser plus scripts/serve.mjs on a free port (closed after the test): {server, ...}. */
export async function openPage(t, { serverOptions = {}, ...browserOptions } = {}) {
  const server = await startServer({ port: 0, ...serverOptions });
  t.after(() => server.close());
  return { server, ...(await launchBrowser(t, browserOptions)) };
}
