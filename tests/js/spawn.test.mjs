import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, turn, actorInfo, runtime, ActorsError } from './support.mjs';

const PID = /^<\d+\.\d+\.\d+>$/;

test('spawn with a function behaviour returns a pid and the actor replies', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('greeter', (ctx, msg) => `hello ${msg.name}`);
    assert.match(pid, PID);
    assert.equal(await engine.request(pid, { name: 'node' }), 'hello node');
  }));

test('spawn with an object behaviour runs started, receive and stopped hooks in order', () =>
  withEngine(async (engine) => {
    const calls = [];
    const pid = engine.spawn('hooks', {
      started(ctx) { calls.push(['started', ctx.name]); },
      receive(ctx, msg) { calls.push(['receive', msg]); return msg * 2; },
      stopped(ctx) { calls.push(['stopped', ctx.name]); },
    });
    assert.equal(await engine.request(pid, 21), 42);
    const done = engine.watch(pid);
    engine.stop(pid);
    const end = await done;
    assert.equal(end.pid, pid);
    assert.equal(end.reason, 'requested');
    assert.deepEqual(calls, [['started', 'hooks'], ['receive', 21], ['stopped', 'hooks']]);
  }));

test('an object behaviour keeps `this` bound to the behaviour object', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('stateful', {
      count: 0,
      receive() { this.count += 1; return this.count; },
    });
    assert.equal(await engine.request(pid, null), 1);
    assert.equal(await engine.request(pid, null), 2);
  }));

test('names: lookup finds a live actor by name, null otherwise; pids are unique', () =>
  withEngine(async (engine) => {
    const a = engine.spawn('alpha', () => 'a');
    const b = engine.spawn('beta', () => 'b');
    assert.notEqual(a, b);
    assert.equal(engine.lookup('alpha'), a);
    assert.equal(engine.lookup('beta'), b);
    assert.equal(engine.lookup('gamma'), null);
    assert.equal(engine.alive(a), true);
    engine.runUntilIdle();
    const names = engine.snapshot().actors.map((x) => x.name).sort();
    assert.deepEqual(names, ['alpha', 'beta']);
  }));

test('anonymous actors: the empty name may be used many times', () =>
  withEngine(async (engine) => {
    const a = engine.spawn('', () => 1);
    const b = engine.spawn('', () => 2);
    assert.notEqual(a, b);
    assert.equal(await engine.request(b, null), 2);
  }));

test('a duplicate name is refused with ActorsError invalid_argument', () =>
  withEngine(async (engine) => {
    const first = engine.spawn('unique', () => 1);
    assert.throws(() => engine.spawn('unique', () => 2), actorsError('invalid_argument', 'unique'));
    assert.throws(() => engine.spawnNative('unique', 'echo'), actorsError('invalid_argument', 'unique'));
    // the first one is unaffected
    assert.equal(await engine.request(first, null), 1);
  }));

test('a name is free again once its actor has stopped', () =>
  withEngine(async (engine) => {
    const first = engine.spawn('reuse', () => 1);
    const done = engine.watch(first);
    engine.stop(first);
    await done;
    assert.equal(engine.alive(first), false);
    const second = engine.spawn('reuse', () => 2);
    assert.notEqual(second, first);
    assert.equal(await engine.request(second, null), 2);
  }));

test("a name containing '/' is refused (it separates parent and child names)", () =>
  withEngine((engine) => {
    assert.throws(() => engine.spawn('a/b', () => 1), actorsError('invalid_argument', '/'));
  }));

test('spawn options: mailboxCapacity and overflow show up in the snapshot', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('small', () => 1, { mailboxCapacity: 3, overflow: 'drop_oldest' });
    engine.runUntilIdle();
    const a = actorInfo(engine, pid);
    assert.equal(a.mailboxCapacity, 3);
    assert.equal(a.overflow, 'drop_oldest');
    assert.equal(a.state, 'running');
  }));

test('spawnNative: counter adds and answers its total', () =>
  withEngine(async (engine) => {
    const counter = engine.spawnNative('counter', 'counter');
    assert.match(counter, PID);
    assert.equal(await engine.request(counter, 'get'), 0);
    assert.equal(engine.send(counter, { add: 40 }), 'delivered');
    assert.equal(engine.send(counter, { add: 2 }), 'delivered');
    assert.equal(engine.send(counter, { other: 1 }), 'delivered');  // ignored
    assert.equal(await engine.request(counter, 'get'), 42);
  }));

test('spawnNative: echo answers a request with its body', () =>
  withEngine(async (engine) => {
    const echo = engine.spawnNative('echo', 'echo');
    const body = { a: [1, 'two', null, true, { b: -0.5 }], s: 'ünïcødé ✓' };
    assert.deepEqual(await engine.request(echo, body), body);
    assert.equal(await engine.request(echo, 'plain'), 'plain');
  }));

test('nativeKinds lists the registered kinds', () =>
  withEngine((engine) => {
    const kinds = engine.nativeKinds();
    assert.ok(kinds.includes('counter'));
    assert.ok(kinds.includes('echo'));
  }));

test('spawnNative of an unknown kind fails with a message listing the known kinds', () =>
  withEngine((engine) => {
    assert.throws(() => engine.spawnNative('x', 'nope'), (e) => {
      assert.ok(e instanceof ActorsError);
      assert.equal(e.code, 'invalid_argument');
      assert.match(e.message, /nope/);
      assert.match(e.message, /counter/);
      assert.match(e.message, /echo/);
      return true;
    });
    assert.equal(engine.lookup('x'), null);
  }));

test('an engine reports its lifecycle through `running`, and shutdown is idempotent', async () => {
  const engine = runtime.createEngine();
  assert.equal(engine.running, true);
  engine.spawn('a', () => 1);
  engine.shutdown();
  assert.equal(engine.running, false);
  engine.shutdown();
  assert.equal(engine.running, false);
  await turn();
});

test('engines are independent: the same name can live in two engines', () =>
  withEngine((e1) =>
    withEngine(async (e2) => {
      const a = e1.spawn('same', () => 'one');
      const b = e2.spawn('same', () => 'two');
      assert.equal(await e1.request(a, null), 'one');
      assert.equal(await e2.request(b, null), 'two');
    })));
