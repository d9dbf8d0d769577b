// Loads the interactive demo (web/index.html: the ImGui dashboard in a WebGL2 canvas, with the
// JS API in the same module) in Debian's headless chromium, driven by playwright-core, and checks
// that the canvas draws, the panels list the scenario's actors (from the ImGui side, through the
// dashboard.report extension), and that the page's "Crash one" button makes the restart count
// read through the JS API go up. Saves build/wasm/artifacts/dashboard.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openPage, artifacts, BASE_ARGS } from './support.mjs';

// Software WebGL2 (SwiftShader): headless machines have no GPU.
const WEBGL_ARGS = [...BASE_ARGS, '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

test('the demo page draws the dashboard, and its crash button makes the restart count go up', async (t) => {
  const { server, page, orFail, noProblems } = await openPage(t, { args: WEBGL_ARGS, viewport: { width: 1400, height: 900 } });

  // --- load: the root is the demo ----------------------------------------------------------------
  const response = await page.goto(new URL('?scenario=worker-pool', server.url).href);
  assert.equal(response.status(), 200);
  await orFail(page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }));
  noProblems('while loading');
  assert.equal(await page.inputValue('#scenario'), 'worker-pool');
  const webgl2 = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
  assert.ok(webgl2, 'this chromium has no WebGL2');

  // --- the panels drew, and list the scenario's actors (an ImGui-side check) -----------------------
  const report = await orFail(page.waitForFunction(() => {
    const r = window.demo.report();
    return r.actorRows.some((n) => n.startsWith('worker-pool')) && r.eventsFolded > 0 ? r : null;
  }, null, { timeout: 30_000 })).then((h) => h.jsonValue());
  for (const panel of ['overview', 'rates', 'actors', 'inspector', 'log'])
    assert.ok(report.panels.includes(panel), `panel ${panel} not drawn: ${report.panels.join(', ')}`);
  assert.ok(report.liveActors >= 5, `live actors: ${report.liveActors}`);

  // --- the canvas shows pixels, not a blank page ---------------------------------------------------
  const canvasShot = await page.locator('#canvas').screenshot();
  assert.ok(canvasShot.length > 20_000, `the canvas screenshot is only ${canvasShot.length} bytes: blank?`);

  // --- crash: restarts (read through the JS API) go up ---------------------------------------------
  const before = await page.evaluate(() => window.demo.engine.counters().restarts);
  await page.click('#crash');
  await orFail(page.waitForFunction((n) => window.demo.engine.counters().restarts > n, before, { timeout: 30_000 }));
  const after = await page.evaluate(() => window.demo.engine.counters().restarts);
  assert.ok(after > before, `restarts ${before} -> ${after}`);
  await orFail(page.waitForFunction(() => window.demo.report().restarts > 0, null, { timeout: 10_000 }));
  assert.match(await page.textContent('#status'), /crashed <\d+\.\d+\.\d+>/);
  await orFail(page.waitForFunction((n) => Number(document.querySelector('#restarts').textContent) >= n, after, { timeout: 10_000 }));

  // --- another scenario from the picker --------------------------------------------------------------
  await page.selectOption('#scenario', 'dead-letters');
  await orFail(page.waitForFunction(() => window.demo.engine.counters().deadLettered > 0, null, { timeout: 30_000 }));
  await orFail(page.waitForFunction(() => window.demo.report().deadLetters > 0, null, { timeout: 10_000 }));
  noProblems('after the crash and the scenario switch');

  await mkdir(artifacts, { recursive: true });
  const shot = path.join(artifacts, 'dashboard.png');
  await page.screenshot({ path: shot });
  assert.ok((await stat(shot)).size > 20_000);
});
