// Loads web/embed.html in Debian's headless chromium (driven by playwright-core; never a
// downloaded browser) and checks the page runs the actors, shows their events and counters, and
// survives a crash. Needs the wasm build in build/wasm/dist (or --dist via $ACTORS_DIST).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { openPage, artifacts, BASE_ARGS } from './support.mjs';

function distDir() {
  const d = process.env.ACTORS_DIST;
  if (!d) return undefined;  // the server's default, build/wasm/dist
  return path.resolve(/\.m?js$/.test(d) ? path.dirname(d) : d);
}

test('web/embed.html runs the actors, shows events and counters, and survives a crash', async (t) => {
  const { server, page, orFail, noProblems } = await openPage(t, {
    serverOptions: { dist: distDir() },
    args: [...BASE_ARGS, '--disable-gpu'],
    viewport: { width: 1000, height: 900 },
  });

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
