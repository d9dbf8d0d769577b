// engine.connect: JS actors in this process and C++ actors in a native server process, one
// address space. The server is examples/remote/chat_server (the chat-room scenario's room) on
// 127.0.0.1, a real process on a real socket; node 20 has no WebSocket, so the page's is the
// `ws` package's. Each test stops the server it started, also when it fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WebSocket } from 'ws';
import { startChatServer } from '../support/chat_server.mjs';
import { runtime, until, actorsError } from './support.mjs';

globalThis.WebSocket = WebSocket;

const startServer = startChatServer;

/** A tab: an engine linked to the server, with one JS user actor that joins the room and says
 * what the tab tells it to ({say: text}, {leave: true}). */
async function tab(t, url, name, token = 's3cret') {
  const engine = runtime.createEngine();
  t.after(() => engine.shutdown());
  const link = engine.connect(url, { token });
  assert.equal(await link.ready, 'server');
  const room = await link.lookup('room');
  assert.ok(room, 'the server has a room');
  const heard = [];
  let joined = null;
  const user = engine.spawn(name, {
    started(ctx) {
      ctx.request(room, { type: 'join', name }, (_ctx, r) => { joined = r; });
    },
    receive(ctx, msg) {
      if (msg.say !== undefined) ctx.send(room, { type: 'say', text: msg.say });
      else if (msg.leave) ctx.send(room, { type: 'leave' });
      else heard.push(msg);
    },
  });
  await until(() => joined, `${name} joined`);
  assert.equal(joined.ok, true, joined.error?.message);
  return { engine, link, room, user, heard, joined: joined.value };
}

const hears = (who, pred, what) => until(() => who.heard.some(pred), what);

test('JS actors in three engines talk through a room on a native server; a stopped actor and a closed engine are Terminated for the room', async (t) => {
  const server = await startServer(t);
  const alice = await tab(t, server.url, 'alice');
  const bob = await tab(t, server.url, 'bob');
  const carol = await tab(t, server.url, 'carol');
  assert.deepEqual(carol.joined.members, ['alice', 'bob', 'carol']);
  await hears(alice, (m) => m.type === 'joined' && m.name === 'carol', 'alice hears carol join');
  assert.equal(alice.engine.nodeOf(alice.room), 'server');
  assert.equal(alice.engine.nodeOf(alice.user), '');

  alice.engine.send(alice.user, { say: 'hello all' });
  await hears(bob, (m) => m.type === 'said' && m.name === 'alice' && m.text === 'hello all', 'bob hears alice');
  await hears(carol, (m) => m.type === 'said' && m.name === 'alice' && m.text === 'hello all', 'carol hears alice');
  // A message from a Pid that is not a member is not heard (the engine's own sends have none).
  alice.engine.send(alice.room, { type: 'say', text: 'from nobody' });

  bob.engine.send(bob.user, { leave: true });
  await hears(alice, (m) => m.type === 'left' && m.name === 'bob' && m.why === 'leave', 'bob left');

  // carol's actor stops: the room's watch across the link fires.
  carol.engine.stop(carol.user);
  await hears(alice, (m) => m.type === 'left' && m.name === 'carol' && /^terminated/.test(m.why), 'carol terminated');

  // bob's engine goes away as a closed tab does (bob already left: nothing to see) and a new
  // member's engine too: after the server's cut deadline the room sees that one Terminated.
  const dave = await tab(t, server.url, 'dave');
  dave.engine.shutdown();
  await hears(alice, (m) => m.type === 'left' && m.name === 'dave' && /^terminated/.test(m.why), 'dave terminated');
  assert.ok(!alice.heard.some((m) => m.text === 'from nobody'), 'a non-member is not heard');
  const stats = await alice.engine.request(alice.room, { type: 'stats' });
  assert.deepEqual(stats, { members: 1, joined: 4, left: 3, terminated: 2 });
});

test('a request from the engine itself to a server actor is answered, a bad one says why, and the link is listed', async (t) => {
  const server = await startServer(t);
  const a = await tab(t, server.url, 'carol');
  const stats = await a.engine.request(a.room, { type: 'stats' });
  assert.deepEqual(stats, { members: 1, joined: 1, left: 0, terminated: 0 });
  const bad = await a.engine.request(a.room, { type: 'join' });
  assert.equal(bad.ok, false);
  assert.match(bad.error, /name/);
  assert.deepEqual(a.engine.links(), [{ node: 'server', connected: true }]);
});

test('a wrong token is refused with the server\'s reason', async (t) => {
  const server = await startServer(t);
  const engine = runtime.createEngine();
  t.after(() => engine.shutdown());
  const link = engine.connect(server.url, { token: 'wrong' });
  await assert.rejects(link.ready, actorsError('invalid_argument', /token/));
  await assert.rejects(link.lookup('room'), actorsError('invalid_argument'));
});

test('connect checks its arguments', () => {
  const engine = runtime.createEngine();
  try {
    assert.throws(() => engine.connect('ws://127.0.0.1:1'), TypeError);
    assert.throws(() => engine.connect('ws://127.0.0.1:1', { token: 5 }), TypeError);
    assert.throws(() => engine.connect(42, { token: 'x' }), TypeError);
    assert.throws(() => engine.connect('http://127.0.0.1:1', { token: 'x' }), actorsError('invalid_argument', /ws/));
  } finally {
    engine.shutdown();
  }
});

test('a watch of a server actor resolves when the server goes away', async (t) => {
  const server = await startServer(t);
  const a = await tab(t, server.url, 'dave');
  const watched = a.engine.watch(a.room);
  server.child.kill('SIGKILL');
  await server.exited;
  const info = await watched;
  assert.equal(info.pid, a.room);
  assert.match(`${info.reason} ${info.detail}`, /node_down|down|lost|restart/);
});
