// The demo page served by a real native node (examples/remote/inspected_node.cpp, another
// process), in Debian's headless chromium: the ImGui dashboard in the page watches the node's
// engine over the browser's WebSocket (remote/src/browser_transport.cpp) through the node's
// inspector. What the page shows is checked against what the node itself says on its stdin
// ('info <pid>', 'counters'), never against the page alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { launchBrowser, artifacts, BASE_ARGS } from './support.mjs';
import { startNode, parseInfo } from './inspected_node.mjs';

const WEBGL_ARGS = [...BASE_ARGS, '--use-gl=angle', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];
const CONTROL = 'control-token-for-the-test';
const WATCH = 'watch-token-for-the-test';
// While a node is down, the browser reports each failed dial on its console.
const DIAL_FAILED = /WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/inspector' failed/;

const ready = (page, orFail) => orFail(page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }));

// The page's actor table rows: [{name, pid}] (the rows drawn in the last frame).
async function rows(page) {
  return page.evaluate(() => {
    const r = window.demo.report();
    return r.actorRows.map((name, i) => ({ name, pid: r.actorPids[i] }));
  });
}

// Waits until the page's dashboard lists an actor whose name ends with `suffix`; returns its row.
async function waitForRow(page, orFail, suffix, timeout = 30_000) {
  const handle = await orFail(page.waitForFunction((s) => {
    const r = window.demo.report();
    const i = r.actorRows.findIndex((n) => n.endsWith(s));
    return i >= 0 ? { name: r.actorRows[i], pid: r.actorPids[i] } : null;
  }, suffix, { timeout }));
  return handle.jsonValue();
}

async function waitForConnection(page, orFail, className, timeout = 30_000) {
  await orFail(page.waitForSelector(`#connection.${className}`, { timeout }));
  return page.textContent('#connection');
}

test('the page a node serves lists the node\'s actors, and a crash from the page restarts the node\'s worker', async (t) => {
  const node = await startNode(t, ['--listen', '127.0.0.1:0', '--token', CONTROL, '--watch-token', WATCH, '--scenario', 'ping-pong']);
  const { page, orFail, noProblems } = await launchBrowser(t, { args: WEBGL_ARGS, viewport: { width: 1400, height: 900 } });

  // The node hands the page where its inspector is (inspector.json); the token comes in the URL.
  const response = await page.goto(`${node.page}?token=${CONTROL}`);
  assert.equal(response.status(), 200);
  await ready(page, orFail);
  const header = await waitForConnection(page, orFail, 'attached');
  assert.match(header, /watching inspected-node\/ping-pong \(control\)/);
  assert.equal(await page.evaluate(() => window.demo.mode), 'remote');
  assert.ok(await page.isHidden('#scenario-group'), "this tab's scenario controls are not offered while watching the node");
  assert.equal(await page.inputValue('#source'), 'server');

  // The page lists the node's actors: each pid it shows is a live actor of that process.
  const pong = await waitForRow(page, orFail, 'pong-1');
  const listed = await rows(page);
  assert.ok(listed.length >= 5, `rows: ${JSON.stringify(listed)}`);
  for (const { name, pid } of listed.slice(0, 6)) {
    const info = parseInfo(await node.ask(`info ${pid}`));
    assert.equal(info.state, 'running', `${name} ${pid} on the node`);
  }
  const before = parseInfo(await node.ask(`info ${pong.pid}`));
  assert.equal(before.restarts, 0, 'ping-pong players do not crash by themselves');

  // Crash it from the page (the inspector panel's "inject a failure" action): the node restarts it.
  await page.evaluate((pid) => window.demo.crash(pid), pong.pid);
  await orFail(page.waitForFunction(() => /fail: failure injected: delivered/.test(document.querySelector('#status').textContent), null, { timeout: 20_000 }));
  let after = before;
  for (let i = 0; i < 100 && after.restarts === 0; i++) {
    await new Promise((r) => setTimeout(r, 100));
    after = parseInfo(await node.ask(`info ${pong.pid}`));
  }
  assert.equal(after.restarts, 1, `the node's own count for ${pong.name} ${pong.pid}`);
  assert.equal(after.failures, 1);
  // And the page saw it happen: the restart reached its model through the event stream.
  await orFail(page.waitForFunction(() => window.demo.report().restarts >= 1, null, { timeout: 20_000 }));
  noProblems('while watching and crashing');

  await mkdir(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'remote-dashboard.png') });

  // The same page still offers this tab's engine, with its own scenario controls.
  await page.selectOption('#source', 'tab');
  await orFail(page.waitForURL(/engine=tab/, { timeout: 20_000 }));
  await ready(page, orFail);
  assert.equal(await page.evaluate(() => window.demo.mode), 'local');
  assert.ok(await page.isVisible('#scenario-group'));
  assert.ok(await page.isHidden('#connection'));
  await orFail(page.waitForFunction(() => window.demo.report().actorRows.some((n) => n.startsWith('worker-pool')), null, { timeout: 30_000 }));
  noProblems("after switching to this tab's engine");
});

test('a wrong token is refused with a visible reason, and a watch token may look but not crash', async (t) => {
  const node = await startNode(t, ['--listen', '127.0.0.1:0', '--token', CONTROL, '--watch-token', WATCH, '--scenario', 'ping-pong']);
  const { page, orFail, noProblems } = await launchBrowser(t, { args: WEBGL_ARGS });

  await page.goto(`${node.page}?token=not-the-token`);
  await ready(page, orFail);
  const refused = await waitForConnection(page, orFail, 'refused');
  assert.match(refused, /refused this page: wrong token/);
  assert.match(await page.textContent('#status'), /refused: wrong token/);
  assert.equal(await page.getAttribute('#status', 'class'), 'error');
  assert.equal((await page.evaluate(() => window.demo.report())).liveActors, 0, 'nothing of the node reached a refused page');

  await page.goto(`${node.page}?token=${WATCH}`);
  await ready(page, orFail);
  assert.match(await waitForConnection(page, orFail, 'attached'), /\(watch\)/);
  const pong = await waitForRow(page, orFail, 'pong-1');
  await page.evaluate((pid) => window.demo.crash(pid), pong.pid);
  await orFail(page.waitForFunction(() => /fail refused: .*control role/.test(document.querySelector('#status').textContent), null, { timeout: 20_000 }));
  assert.equal(await page.getAttribute('#status', 'class'), 'error');
  const info = parseInfo(await node.ask(`info ${pong.pid}`));
  assert.deepEqual([info.restarts, info.failures], [0, 0], 'the refused crash did not run on the node');
  noProblems('while refused');
});

// A loopback TCP relay to `target` that the test can cut (every connection dropped, new ones
// refused) and restore on the same port: a network outage with the node still running.
async function startRelay(t, target) {
  const sockets = new Set();
  let server;
  const listen = (port) => new Promise((resolve, reject) => {
    server = net.createServer((client) => {
      const upstream = net.connect(target, '127.0.0.1');
      const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream); };
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', end);
        s.on('close', end);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server.address().port));
  });
  const cut = () => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(() => resolve()));
  };
  const port = await listen(0);
  t.after(() => { for (const s of sockets) s.destroy(); server.close(); });
  return { port, cut, restore: () => listen(port) };
}

test('the link cut while the node runs on: the page resumes where it was, the events it missed counted', async (t) => {
  // A small ring, so the events of the outage are gone when the page is back.
  const node = await startNode(t, ['--listen', '127.0.0.1:0', '--token', CONTROL, '--scenario', 'dead-letters', '--ring', '64']);
  const relay = await startRelay(t, node.port);
  const { page, orFail } = await launchBrowser(t, { args: WEBGL_ARGS, allow: [DIAL_FAILED] });
  await page.goto(`${node.page}?connect=ws://127.0.0.1:${relay.port}/inspector&token=${CONTROL}`);
  await ready(page, orFail);
  await waitForConnection(page, orFail, 'attached');
  await waitForRow(page, orFail, 'dead-letters');
  const seq = (line) => Number(/events=(\d+)/.exec(line)[1]);

  await relay.cut();
  await waitForConnection(page, orFail, 'waiting');
  const before = await page.evaluate(() => window.demo.report());
  const atCut = seq(await node.ask('counters'));
  // The node runs on until its ring (64) has turned over past what the page last saw.
  for (let i = 0; i < 200 && seq(await node.ask('counters')) < atCut + 200; i++) await new Promise((r) => setTimeout(r, 100));
  assert.ok(seq(await node.ask('counters')) >= atCut + 200, 'the node published too little while the page was away');

  await relay.restore();
  await waitForConnection(page, orFail, 'attached', 30_000);
  const after = await orFail(page.waitForFunction((b) => {
    const r = window.demo.report();
    return r.missedEvents > b.missedEvents && r.eventsFolded > b.eventsFolded ? r : null;
  }, before, { timeout: 30_000 })).then((h) => h.jsonValue());
  // Resumed, not started over: a new snapshot would have reset the counts.
  assert.ok(after.eventsFolded >= before.eventsFolded, `${before.eventsFolded} -> ${after.eventsFolded}`);
  assert.ok(after.missedEvents > 0);
  const status = await page.evaluate(() => window.demo.status());
  assert.equal(status.engine, 'inspected-node/dead-letters');
});

test('the node killed and started again: the page reconnects by itself and shows the new engine', async (t) => {
  const first = await startNode(t, ['--listen', '127.0.0.1:0', '--token', CONTROL, '--scenario', 'ping-pong']);
  const { page, orFail } = await launchBrowser(t, { args: WEBGL_ARGS, allow: [DIAL_FAILED] });
  await page.goto(`${first.page}?token=${CONTROL}`);
  await ready(page, orFail);
  await waitForConnection(page, orFail, 'attached');
  await waitForRow(page, orFail, 'pong-1');

  await first.kill('SIGKILL');
  // Between dials it says "reconnecting to ... (why)", during one "connecting to ...".
  assert.match(await waitForConnection(page, orFail, 'waiting'), /connecting to ws:\/\/127\.0\.0\.1:\d+\/inspector/);

  // Another process on the same port, with other actors: the page dials it by itself and loads
  // its snapshot (a new engine), so the old process's actors are gone from the table.
  const second = await startNode(t, ['--listen', `127.0.0.1:${first.port}`, '--token', CONTROL, '--scenario', 'dead-letters']);
  assert.equal(second.port, first.port);
  await waitForConnection(page, orFail, 'attached', 30_000);
  assert.match(await page.textContent('#connection'), /watching inspected-node\/dead-letters/);
  await orFail(page.waitForFunction(() => {
    const names = window.demo.report().actorRows;
    return names.some((n) => n.startsWith('dead-letters')) && !names.some((n) => n.startsWith('ping-pong'));
  }, null, { timeout: 30_000 }));
  const counters = await second.ask('counters');
  assert.match(counters, /^counters live=\d+/);
});
