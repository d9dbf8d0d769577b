import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, until, actorInfo, conserved } from './support.mjs';

const crashOn = (word) => (ctx, m) => {
  if (m === word) throw new Error(`${ctx.name} crashed on '${word}'`);
  return `${ctx.name}:${m}`;
};

test("a JS handler that throws: the root supervisor restarts the actor, the request rejects 'handler_failed'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('crashy', crashOn('boom'));
    await assert.rejects(engine.request(pid, 'boom'), actorsError('handler_failed', "crashed on 'boom'"));
    const info = actorInfo(engine, pid);
    assert.equal(info.restarts, 1);
    assert.equal(info.failures, 1);
    assert.equal(info.state, 'running');
    assert.match(info.lastError, /crashed on 'boom'/);
    // the same pid still reaches the restarted actor (a fresh instance of the behaviour)
    assert.equal(await engine.request(pid, 'again'), 'crashy:again');
    assert.equal(engine.lookup('crashy'), info.pid);
  }));

test('throwing a non-Error value is a failure too', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('thrower', (ctx, m) => { throw m; });
    await assert.rejects(engine.request(pid, 'a string'), actorsError('handler_failed', 'a string'));
    await assert.rejects(engine.request(pid, null), actorsError('handler_failed'));
    assert.equal(actorInfo(engine, pid).restarts, 2);
  }));

test("a handler returning a Promise fails the request with 'handler_failed'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('async', async (ctx, m) => m);
    await assert.rejects(engine.request(pid, 1), actorsError('handler_failed', 'Promise'));
    const thenable = engine.spawn('thenable', () => ({ then() {} }));
    await assert.rejects(engine.request(thenable, 1), actorsError('handler_failed', 'Promise'));
    assert.equal(actorInfo(engine, pid).failures, 1);
  }));

test("a reply that is not JSON-compatible fails the request with 'handler_failed' naming 'reply'", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('badreply', (ctx, m) => (m === 'nan' ? { v: NaN } : () => 1));
    await assert.rejects(engine.request(pid, 'fn'), actorsError('handler_failed', 'reply is a function'));
    await assert.rejects(engine.request(pid, 'nan'), actorsError('handler_failed', 'reply.v is NaN'));
  }));

test('a failure in started() is retried and finally gives up (max restarts), stopping the actor', () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => events.push(e));
    const pid = engine.spawn('neverstarts', { started() { throw new Error('cannot start'); }, receive() { return 1; } });
    await engine.watch(pid);
    await until(() => events.some((e) => e.kind === 'stopped'), 'the stopped event');
    assert.ok(events.some((e) => e.kind === 'failed' && /cannot start/.test(e.error)));
    assert.ok(events.some((e) => e.kind === 'max_restarts_exceeded'));
    assert.equal(engine.alive(pid), false);
  }));

test("supervisor {directive:'stop'}: a failing child is stopped, not restarted; its sibling lives on", () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => events.push(e));
    const kids = {};
    const parent = engine.spawn('parent', {
      started(ctx) {
        kids.a = ctx.spawn('a', crashOn('boom'));
        kids.b = ctx.spawn('b', crashOn('boom'));
      },
      receive(ctx, m) { return Object.keys(kids).length; },
    }, { supervisor: { directive: 'stop' } });
    assert.equal(await engine.request(parent, null), 2);

    const end = engine.watch(kids.a);
    await assert.rejects(engine.request(kids.a, 'boom'), actorsError('handler_failed'));
    const info = await end;
    assert.equal(info.reason, 'failed');
    assert.equal(engine.alive(kids.a), false);
    await assert.rejects(engine.request(kids.a, 'hello'), actorsError('actor_stopped'));
    assert.equal(await engine.request(kids.b, 'hello'), 'parent/b:hello');

    await until(() => events.some((e) => e.kind === 'stopped' && e.pid === kids.a), 'the stopped event');
    assert.ok(!events.some((e) => e.kind === 'restarted'), 'nothing was restarted');
    const snap = engine.snapshot();
    assert.deepEqual(snap.actors.find((x) => x.pid === parent).children, [kids.b]);
    assert.equal(snap.counters.restarts, 0);
    assert.equal(snap.counters.failures, 1);
  }));

test("supervisor {directive:'restart'} (the default): a failing child is restarted", () =>
  withEngine(async (engine) => {
    const kids = {};
    engine.spawn('parent', { started(ctx) { kids.a = ctx.spawn('a', crashOn('boom')); }, receive() {} },
      { supervisor: { directive: 'restart', restart: 'immediate' } });
    engine.runUntilIdle();
    await assert.rejects(engine.request(kids.a, 'boom'), actorsError('handler_failed'));
    assert.equal(await engine.request(kids.a, 'x'), 'parent/a:x');
    assert.equal(actorInfo(engine, kids.a).restarts, 1);
  }));

test("supervisor {directive:'resume'}: the failing child keeps its state", () =>
  withEngine(async (engine) => {
    const kids = {};
    engine.spawn('parent', {
      started(ctx) {
        kids.a = ctx.spawn('a', { n: 0, receive(c, m) { if (m === 'boom') throw new Error('boom'); return ++this.n; } });
      },
      receive() {},
    }, { supervisor: { directive: 'resume' } });
    engine.runUntilIdle();
    assert.equal(await engine.request(kids.a, 'inc'), 1);
    await assert.rejects(engine.request(kids.a, 'boom'), actorsError('handler_failed'));
    assert.equal(await engine.request(kids.a, 'inc'), 2);
    assert.equal(actorInfo(engine, kids.a).restarts, 0);
  }));

test("supervisor {strategy:'all_for_one'}: one child's failure restarts its siblings too", () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => events.push(e));
    const kids = {};
    engine.spawn('parent', {
      started(ctx) { kids.a = ctx.spawn('a', crashOn('boom')); kids.b = ctx.spawn('b', crashOn('boom')); },
      receive() {},
    }, { supervisor: { strategy: 'all_for_one' } });
    engine.runUntilIdle();
    await assert.rejects(engine.request(kids.a, 'boom'));
    assert.equal(await engine.request(kids.b, 'x'), 'parent/b:x');
    await until(() => events.filter((e) => e.kind === 'restarted').length >= 2, 'two restarts');
  }));

test('counters stay conserved through failures and restarts', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('flaky', (ctx, m) => { if (m % 3 === 0) throw new Error('every third'); return m; });
    const results = await Promise.allSettled(Array.from({ length: 12 }, (_, i) => engine.request(pid, i)));
    assert.equal(results.filter((r) => r.status === 'rejected').length, 4);
    engine.runUntilIdle();
    assert.ok(conserved(engine.counters()), JSON.stringify(engine.counters()));
    assert.equal(actorInfo(engine, pid).restarts, 4);
  }));
