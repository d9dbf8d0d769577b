// The chat-room scenario in two Chromium tabs: each tab's engine (the runtime in WebAssembly)
// links to a native chat server process with engine.connect, and its user is a JS actor in the
// server's room. Messages reach the other tab through the server; a closed tab is a Terminated
// for the room; a wrong token is refused with a visible reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { openPage, launchBrowser } from './support.mjs';
import { startNode } from './inspected_node.mjs';
import { startChatServer } from '../support/chat_server.mjs';

function distDir() {
  const d = process.env.ACTORS_DIST;
  if (!d) return undefined;
  return path.resolve(/\.m?js$/.test(d) ? path.dirname(d) : d);
}

async function joinAs(page, url, name, orFail) {
  await page.goto(url);
  await orFail(page.waitForSelector('body[data-ready="true"]'));
  assert.equal(await page.getAttribute('#status', 'data-state'), 'linked', await page.textContent('#status'));
  await page.fill('#name', name);
  await page.click('#join');
  await orFail(page.waitForSelector('#say:not([disabled])'));
}

test('two tabs chat through a room on a native server; closing one is a Terminated for the room', async (t) => {
  // Ten minutes of heartbeats before a cut link counts as gone: only the goodbye a closing tab
  // says can make the room see it leave within the test's bounds.
  const chat = await startChatServer(t, { downAfterMs: 600_000 });
  const { server, page, orFail, noProblems } = await openPage(t, { serverOptions: { dist: distDir() } });
  const url = new URL(`chat.html?server=${encodeURIComponent(chat.url)}&token=s3cret`, server.url).href;
  await joinAs(page, url, 'ann', orFail);
  const other = await page.context().newPage();
  await joinAs(other, url, 'ben', orFail);
  await orFail(page.waitForSelector('#log li[data-type="joined"]:text("ben joined")'));

  await page.fill('#text', 'hello ben');
  await page.click('#say');
  await orFail(other.waitForSelector('#log li[data-type="said"]:text("ann: hello ben")'));
  await other.fill('#text', 'hi ann');
  await other.click('#say');
  await orFail(page.waitForSelector('#log li[data-type="said"]:text("ben: hi ann")'));
  assert.match(await page.textContent('#members'), /ann.*ben|ben.*ann/);

  await other.close();  // its pagehide shuts its engine down, which says goodbye on the link
  await orFail(page.waitForSelector('#log li[data-type="left"]:text("ben left (terminated")'));
  assert.doesNotMatch(await page.textContent('#members'), /ben/);
  noProblems('after the chat');
});

test('a wrong token is refused and the page says why', async (t) => {
  const chat = await startChatServer(t);
  const { server, page, orFail } = await openPage(t, { serverOptions: { dist: distDir() } });
  // The refusal closes the socket with a reason; Chromium logs nothing for a clean close.
  await page.goto(new URL(`chat.html?server=${encodeURIComponent(chat.url)}&token=wrong`, server.url).href);
  await orFail(page.waitForSelector('body[data-ready="true"]'));
  assert.equal(await page.getAttribute('#status', 'data-state'), 'refused');
  assert.match(await page.textContent('#status'), /token/);
  assert.ok(await page.isDisabled('#join'));
});

test('the demo node serves the chat page: it links to the same port with the page token and joins the node\'s room', async (t) => {
  const node = await startNode(t, ['--listen', '127.0.0.1:0', '--token', 'demo-token', '--scenario', 'ping-pong', '--page-token', '--chat-room']);
  const { page, orFail, noProblems } = await launchBrowser(t);
  await joinAs(page, new URL('chat.html', node.page).href, 'cleo', orFail);
  assert.match(await page.textContent('#status'), /linked to inspected/);
  await page.fill('#text', 'anyone here?');
  await page.click('#say');
  await orFail(page.waitForSelector('#log li[data-type="said"]:text("cleo: anyone here?")'));
  noProblems('on the node\'s chat page');
});
