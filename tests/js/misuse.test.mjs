// More ways a page can misuse the API (issue 7): each is refused with a clear JS error - a
// TypeError naming the argument, or an ActorsError with a code - and the engine keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, runtime, toJson, conserved, throwsType, stillWorks } from './support.mjs';

test('eventsSince with huge cursors (2 ** 64, 1e30, MAX_VALUE, Infinity) reads as the end (the double-to-integer conversion was undefined)', () =>
  withEngine(async (engine) => {
    engine.spawn('a', () => 1);
    engine.runUntilIdle();
    const last = engine.eventsSince(0).next;
    assert.ok(last > 0);
    for (const seq of [2 ** 64, 1e30, Number.MAX_VALUE, Infinity]) {
      const b = engine.eventsSince(seq);
      assert.deepEqual([b.events.length, b.missed, b.next], [0, 0, last], `eventsSince(${seq})`);
    }
    // a huge max means "everything"
    for (const max of [2 ** 64, 1e30, Infinity]) assert.equal(engine.eventsSince(0, max).events.length, last);
    await stillWorks(engine);
  }));

test('a string with a lone UTF-16 surrogate is refused with a TypeError naming where it is', () =>
  withEngine(async (engine) => {
    const seen = [];
    const pid = engine.spawn('sink', (ctx, m) => { seen.push(m); return 'ok'; });
    throwsType(() => engine.send(pid, 'a\ud800b'), 'message contains a lone UTF-16 surrogate', '\\ud800');
    throwsType(() => engine.send(pid, { list: ['ok', '\udc00'] }), 'message.list[1] contains a lone UTF-16 surrogate');
    throwsType(() => engine.send(pid, { ['k\ud83d']: 1 }), 'message has a key that contains a lone UTF-16 surrogate');
    throwsType(() => engine.request(pid, ['\ude00']), 'message[0] contains');
    // a proper pair (an emoji) is fine, and arrives intact
    assert.equal(engine.send(pid, { face: 'smile \ud83d\ude00' }), 'delivered');
    engine.runUntilIdle();
    assert.deepEqual(seen, [{ face: 'smile \ud83d\ude00' }]);
    // a handler replying with one fails its request with the reason, like any non-JSON reply
    const bad = engine.spawn('bad', () => 'x\udbff');
    await assert.rejects(engine.request(bad, 1), actorsError('handler_failed', 'reply contains a lone UTF-16 surrogate'));
    await stillWorks(engine);
  }));

test('a message nested deeper than the engine accepts is refused with a TypeError, not a parse error', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('sink', () => 'ok');
    let deep = 'bottom';
    for (let i = 0; i < 600; i++) deep = [deep];
    throwsType(() => engine.send(pid, deep), 'is nested more than 500 levels deep');
    throwsType(() => toJson({ a: deep }), 'message.a');
    let fine = 'bottom';
    for (let i = 0; i < 400; i++) fine = { n: fine };
    assert.equal(await engine.request(pid, fine), 'ok');
    await stillWorks(engine);
  }));

test('timer delays must be numbers: ctx.sendAfter/sendRepeat refuse strings, null and NaN', () =>
  withEngine(async (engine) => {
    const errors = [];
    const pid = engine.spawn('t', (ctx, m) => {
      if (m !== 'go') return 'tick';
      for (const [fn, ms] of [['sendAfter', '10'], ['sendRepeat', null], ['sendAfter', undefined], ['sendAfter', {}], ['sendRepeat', NaN], ['sendAfter', -0.5]]) {
        try { ctx[fn](ms, ctx.self, 1); errors.push(null); } catch (e) { errors.push(e); }
      }
      return 'done';
    });
    assert.equal(await engine.request(pid, 'go'), 'done');
    for (const e of errors.slice(0, 4)) assert.ok(e instanceof TypeError && /ms must be a number/.test(e.message), String(e));
    for (const e of errors.slice(4)) assert.ok(e?.code === 'invalid_argument' && /delay/.test(e.message), String(e));
    await stillWorks(engine);
  }));

test('counts in options must be whole numbers (no silent truncation of 2.5)', () =>
  withEngine(async (engine) => {
    assert.throws(() => engine.spawn('o', () => 1, { mailboxCapacity: 2.5 }), actorsError('invalid_argument', 'spawn options.mailboxCapacity must be a whole number'));
    assert.throws(() => engine.spawn('o', () => 1, { supervisor: { maxRestarts: 1.5 } }), actorsError('invalid_argument', 'spawn options.supervisor.maxRestarts must be a whole number'));
    for (const options of [{ eventRingCapacity: 16.25 }, { throughput: 0.5 }, { seed: 3.3 }, { mailboxCapacity: 1e-9 }])
      assert.throws(() => runtime.createEngine(options), actorsError('invalid_argument'), JSON.stringify(options));
    assert.equal(engine.lookup('o'), null);
    await stillWorks(engine);
  }));

test('huge and out-of-range numbers: options, timeouts and pids', () =>
  withEngine(async (engine) => {
    for (const options of [{ mailboxCapacity: 1e20 }, { eventRingCapacity: 2 ** 40 }, { requestTimeoutMs: 1e300 }, { throughput: Number.MAX_SAFE_INTEGER }])
      assert.throws(() => runtime.createEngine(options), actorsError('invalid_argument'), JSON.stringify(options));
    assert.throws(() => engine.spawn('o', () => 1, { supervisor: { delayMs: 1e300 } }), actorsError('invalid_argument', 'delayMs'));
    const pid = engine.spawn('p', () => 'pong');
    // A huge per-request timeout is clamped (a year), not an overflow; the reply still arrives.
    assert.equal(await engine.request(pid, 1, { timeoutMs: 1e300 }), 'pong');
    // Well-formed pids that name nothing here: dead letters / no_such_actor, never a crash.
    for (const ghost of ['<0.0.0>', '<1.18446744073709551615.0>', '<4294967295.1.4294967295>']) {
      assert.equal(engine.send(ghost, 1), 'dead_letter', ghost);
      await assert.rejects(engine.request(ghost, 1), actorsError('no_such_actor'), ghost);
      assert.equal(engine.alive(ghost), false);
      engine.stop(ghost);
      engine.poison(ghost);
    }
    assert.throws(() => engine.send('<1.18446744073709551616.0>', 1), actorsError('invalid_argument', 'not a pid'));
    engine.runUntilIdle();
    assert.ok(conserved(engine.counters()));
    await stillWorks(engine);
  }));

test('runUntilIdle(maxMs) needs a positive number', () =>
  withEngine(async (engine) => {
    for (const bad of ['10', null, -1, 0, NaN]) throwsType(() => engine.runUntilIdle(bad), 'runUntilIdle(maxMs)');
    assert.ok(engine.runUntilIdle(5) >= 0);
    await stillWorks(engine);
  }));

test('after shutdown: every call is refused or harmless, including ctx objects kept from handlers', async () => {
  const engine = runtime.createEngine();
  let kept;
  const pid = engine.spawn('a', (ctx) => { kept = ctx; return 1; });
  await engine.request(pid, 'x');
  engine.shutdown();
  engine.shutdown();  // idempotent
  assert.equal(engine.running, false);
  for (const call of [() => engine.send(pid, 1), () => engine.spawnNative('n', 'echo'), () => engine.poison(pid), () => engine.lookup('a')])
    assert.throws(call, actorsError('engine_stopped'));
  assert.throws(() => engine.request(pid, 1), actorsError('engine_stopped'));
  assert.throws(() => kept.send(pid, 1), actorsError('logic_error', 'after its handler returned'));
  assert.throws(() => kept.sendAfter(1, pid, 1), actorsError('logic_error'));
});
