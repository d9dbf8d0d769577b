import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, actorInfo, conserved } from './support.mjs';

test("send to a live actor is 'delivered' and the actor receives the message", () =>
  withEngine(async (engine) => {
    const seen = [];
    const pid = engine.spawn('sink', (ctx, msg) => { seen.push(msg); });
    assert.equal(engine.send(pid, { n: 1 }), 'delivered');
    assert.equal(engine.send(pid, [1, 2, 3]), 'delivered');
    assert.equal(engine.send(pid, 'text'), 'delivered');
    assert.equal(engine.send(pid, null), 'delivered');
    engine.runUntilIdle();
    assert.deepEqual(seen, [{ n: 1 }, [1, 2, 3], 'text', null]);
  }));

test('messages from one sender arrive in the order they were sent', () =>
  withEngine(async (engine) => {
    const seen = [];
    const pid = engine.spawn('ordered', (ctx, msg) => { seen.push(msg); });
    for (let i = 0; i < 200; i++) engine.send(pid, i);
    engine.runUntilIdle();
    assert.deepEqual(seen, Array.from({ length: 200 }, (_, i) => i));
  }));

test("send to a stopped actor or an unknown pid is 'dead_letter'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('brief', () => 1);
    const done = engine.watch(pid);
    engine.stop(pid);
    await done;
    assert.equal(engine.send(pid, 'late'), 'dead_letter');
    assert.equal(engine.send('<1.987654.0>', 'nobody'), 'dead_letter');
    const c = engine.counters();
    assert.ok(c.deadLettered >= 2);
  }));

test("a full mailbox: 'dropped' with drop_newest, 'rejected' with reject_sender", () =>
  withEngine(async (engine) => {
    const seen = [];
    const dropper = engine.spawn('dropper', (ctx, m) => { seen.push(m); }, { mailboxCapacity: 2, overflow: 'drop_newest' });
    const rejecter = engine.spawn('rejecter', () => {}, { mailboxCapacity: 1, overflow: 'reject_sender' });
    engine.runUntilIdle();  // both started: their mailboxes are empty
    assert.equal(engine.send(dropper, 1), 'delivered');
    assert.equal(engine.send(dropper, 2), 'delivered');
    assert.equal(engine.send(dropper, 3), 'dropped');
    assert.equal(engine.send(rejecter, 1), 'delivered');
    assert.equal(engine.send(rejecter, 2), 'rejected');
    engine.runUntilIdle();
    assert.deepEqual(seen, [1, 2]);
    assert.equal(actorInfo(engine, dropper).dropped, 1);
    assert.ok(conserved(engine.counters()), JSON.stringify(engine.counters()));
  }));

test('request: the return value of receive is the reply', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('adder', (ctx, msg) => msg.a + msg.b);
    assert.equal(await engine.request(pid, { a: 2, b: 3 }), 5);
    const obj = engine.spawn('obj', () => ({ nested: { list: [1, { x: null }] }, ok: true }));
    assert.deepEqual(await engine.request(obj, null), { nested: { list: [1, { x: null }] }, ok: true });
  }));

test('request: ctx.reply answers, and a later return value is ignored', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('replier', (ctx, msg) => {
      ctx.reply({ echoed: msg });
      return 'ignored';
    });
    assert.deepEqual(await engine.request(pid, 'hi'), { echoed: 'hi' });
  }));

test('request: null, false, 0 and "" are real replies', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('falsy', (ctx, msg) => msg);
    for (const v of [null, false, 0, '']) assert.equal(await engine.request(pid, v), v);
  }));

test("request: a handler that returns undefined fails the request with 'no_reply'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('silent', () => undefined);
    await assert.rejects(engine.request(pid, 1), actorsError('no_reply'));
    // not a failure of the actor
    assert.equal(actorInfo(engine, pid).restarts, 0);
  }));

test("request: no answer within timeoutMs rejects with 'timeout'", () =>
  withEngine(async (engine) => {
    // The only way to keep a request waiting from JS: the target is waiting out a (long)
    // restart delay, so the request sits in its mailbox.
    let child;
    engine.spawn('parent', {
      started(ctx) { child = ctx.spawn('child', (c, m) => { if (m === 'boom') throw new Error('boom'); return 'ok'; }); },
      receive() {},
    }, { supervisor: { restart: 'fixed', delayMs: 3_600_000 } });
    engine.runUntilIdle();
    assert.equal(await engine.request(child, 'ping'), 'ok');
    engine.send(child, 'boom');
    engine.runUntilIdle();
    assert.equal(actorInfo(engine, child).state, 'restarting');
    await assert.rejects(engine.request(child, 'ping', { timeoutMs: 5 }), actorsError('timeout'));
    // The text (built only when a request times out) names what was asked of whom, and the limit.
    await assert.rejects(engine.request(child, 'ping', { timeoutMs: 7 }), (e) => {
      assert.match(e.message, /no reply to \S*JsRequestSlot to <\d+\.\d+\.\d+> within 7 ms$/);
      assert.ok(e.message.includes(child), `'${e.message}' names ${child}`);
      return true;
    });
  }));

test("request: the engine's requestTimeoutMs applies when no timeoutMs is given", () =>
  withEngine({ requestTimeoutMs: 5 }, async (engine) => {
    let child;
    engine.spawn('parent', {
      started(ctx) { child = ctx.spawn('child', () => { throw new Error('boom'); }); },
      receive() {},
    }, { supervisor: { restart: 'fixed', delayMs: 3_600_000 } });
    engine.runUntilIdle();
    engine.send(child, 'boom');
    engine.runUntilIdle();
    await assert.rejects(engine.request(child, 'ping'), actorsError('timeout'));
  }));

test("request to an unknown pid fails fast with 'no_such_actor'", () =>
  withEngine(async (engine) => {
    await assert.rejects(engine.request('<1.999999.0>', 'anyone?'), actorsError('no_such_actor'));
  }));

test("request to a stopped actor fails with 'actor_stopped'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('gone', () => 1);
    assert.equal(await engine.request(pid, null), 1);
    const done = engine.watch(pid);
    engine.stop(pid);
    await done;
    await assert.rejects(engine.request(pid, null), actorsError('actor_stopped'));
  }));

test('poison stops an actor after the messages already queued', () =>
  withEngine(async (engine) => {
    const seen = [];
    const pid = engine.spawn('poisoned', (ctx, m) => { seen.push(m); });
    engine.send(pid, 1);
    engine.send(pid, 2);
    engine.poison(pid);
    const end = await engine.watch(pid);
    assert.equal(end.existed, true);
    assert.deepEqual(seen, [1, 2]);
    assert.equal(engine.alive(pid), false);
  }));

test('many concurrent requests all get their own answers', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('square', (ctx, n) => n * n);
    const replies = await Promise.all(Array.from({ length: 100 }, (_, i) => engine.request(pid, i)));
    assert.deepEqual(replies, Array.from({ length: 100 }, (_, i) => i * i));
  }));
