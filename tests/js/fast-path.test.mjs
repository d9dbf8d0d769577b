// What the fast paths (issue 18) must keep: between JS actors the value itself is handed over;
// what crosses into C++ arrives as the same JSON value JSON.stringify/parse would give; the engine
// answers an idle request within the sender's microtasks and still yields to the event loop when
// its budget is used up; values that never reach a handler do not stay in the page's table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import v8 from 'node:v8';
import vm from 'node:vm';
import { withEngine, throwsType, stillWorks, until, actorInfo } from './support.mjs';

const CROSSING = [
  ['plain ASCII', { add: 1, name: 'counter', list: [1, 2, 3], nested: { deep: [{ x: null }, true, false] } }],
  ['escapes and control characters', { s: 'quote " backslash \\ slash / \b\f\n\r\t \u0000 \u001f \u007f' }],
  ['keys that need escapes', { 'a"b': 1, 'c\\d': 2, 'e\nf': 3, '': 4 }],
  ['two-, three- and four-byte UTF-8', { s: 'é ß € 中文 😀 𝄞', [`k😀`]: 'v' }],
  ['numbers', [0, -0, 1.5, -2.25e-7, 1e21, 123456789012345, Number.MAX_SAFE_INTEGER, Number.MIN_VALUE, Number.MAX_VALUE]],
  ['32-bit integers (written digit by digit)', [1, 9, 10, 99, 100, 12345, -1, -9, -10, 2147483647, -2147483647, -2147483648, 2147483648, -2147483649]],
  ['empty containers', { a: [], o: {}, s: '' }],
  ['a string longer than the scratch buffer', { s: 'x'.repeat(5000) }],
  ['non-ASCII longer than the scratch buffer', { s: '€'.repeat(3000), t: [...Array(200)].map((_, i) => ({ i, u: 'ü' })) }],
  ['a top-level string', 'just text'],
  ['a top-level number', 42],
];

for (const [what, value] of CROSSING) {
  test(`to a C++ actor, ${what} arrive as JSON.parse(JSON.stringify(value))`, () =>
    withEngine(async (engine) => {
      const echo = engine.spawnNative('echo', 'echo');
      assert.deepEqual(await engine.request(echo, value), JSON.parse(JSON.stringify(value)));
    }));
}

test('sends to a C++ actor arrive in order and all of them count', () =>
  withEngine(async (engine) => {
    const counter = engine.spawnNative('counter', 'counter', { mailboxCapacity: 10_001 });
    for (let i = 1; i <= 10_000; i++) assert.equal(engine.send(counter, { add: i % 2 ? 1 : 2 }), 'delivered');
    assert.equal(await engine.request(counter, 'get'), 15_000);
  }));

test('what crosses into C++ is still checked: a lone surrogate or a NaN is a TypeError naming the path', () =>
  withEngine(async (engine) => {
    const counter = engine.spawnNative('counter', 'counter');
    throwsType(() => engine.send(counter, { a: ['ok', 'bad \uD800 half'] }), 'message.a[1] ', 'surrogate');
    throwsType(() => engine.send(counter, { big: 'x'.repeat(5000), n: NaN }), 'message.n ', 'NaN');
    throwsType(() => engine.request(counter, [1, { k: () => 1 }]), 'message[1].k ', 'function');
    assert.equal(await engine.request(counter, 'get'), 0, 'nothing reached the counter');
    await stillWorks(engine);
  }));

test('between JS actors the value itself is handed over, in order, and a reply too', () =>
  withEngine(async (engine) => {
    const seen = [];
    const sink = engine.spawn('sink', (ctx, m) => {
      seen.push(m);
      return m;
    });
    const values = [{ n: 1 }, [2], 'three', { nested: { n: 4 } }];
    for (const v of values) engine.send(sink, v);
    const asked = { ask: true };
    assert.equal(await engine.request(sink, asked), asked, 'the reply is the very object');
    assert.equal(seen.length, values.length + 1);
    values.forEach((v, i) => assert.equal(seen[i], v, `message ${i} is the object that was sent`));
  }));

// The engine also yields after a budget's worth of microtask turns; a budget no preemption of
// this process can use up keeps that out of this test.
test('a request to an idle engine is answered before the event loop gets a macrotask', () =>
  withEngine({ tickBudgetMs: 30_000 }, async (engine) => {
    const echo = engine.spawn('echo', (ctx, m) => m);
    await engine.request(echo, 0);  // started
    let macrotaskRan = false;
    setImmediate(() => { macrotaskRan = true; });
    setTimeout(() => { macrotaskRan = true; }, 0);
    for (let i = 1; i <= 100; i++) assert.equal(await engine.request(echo, i), i);
    assert.equal(macrotaskRan, false);
  }));

test('a turn that uses its budget yields to the event loop before the rest of the work', () =>
  withEngine({ tickBudgetMs: 1 }, async (engine) => {
    let handled = 0;
    let handledWhenYielded = null;
    const spin = () => {
      const until = performance.now() + 0.25;
      while (performance.now() < until);
      handled++;
    };
    // The budget is checked between actors' turns (an actor's turn handles up to `throughput`
    // messages): 40 actors with one slow message each, ~10 ms of handlers against 1 ms.
    const actors = [];
    for (let i = 0; i < 40; i++) actors.push(engine.spawn('', spin));
    await engine.request(engine.spawn('', (ctx, m) => m), 'all started');
    for (const a of actors) engine.send(a, 'spin');
    const last = engine.request(engine.spawn('', (ctx, m) => m), 'last');
    setImmediate(() => { handledWhenYielded = handled; });
    await last;
    assert.notEqual(handledWhenYielded, null, 'the macrotask ran before the last message was handled');
    assert.ok(handledWhenYielded < 40, `the engine yielded part-way (had handled ${handledWhenYielded} of 40)`);
  }));

// The page's slot table must let go of every value C++ drops: a full mailbox, a stopped actor,
// an actor stopped with messages still queued. Seen from outside through the garbage collector:
// each value is registered with a FinalizationRegistry and must be collected once nothing but a
// leaked slot could hold it.
test('values that never reach a handler (dropped, dead letters, queued at a stop) are released', () =>
  withEngine(async (engine) => {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    let collected = 0;
    const registry = new FinalizationRegistry(() => { collected++; });
    const sent = (status, expected) => assert.equal(status, expected);
    let made = 0;
    const value = () => {
      const v = { payload: new Array(16).fill(made) };
      registry.register(v, made++);
      return v;
    };

    const small = engine.spawn('small', () => {}, { mailboxCapacity: 2, overflow: 'drop_newest' });
    const statuses = [];
    for (let i = 0; i < 10; i++) statuses.push(engine.send(small, value()));
    assert.ok(statuses.includes('dropped'), 'the mailbox overflowed');
    engine.stop(small);
    await engine.watch(small);
    for (let i = 0; i < 10; i++) sent(engine.send(small, value()), 'dead_letter');
    // Queued behind a message whose handler stops the actor: never handled.
    const stopper = engine.spawn('stopper', (ctx, m) => { if (m === 'stop') ctx.stop(); });
    engine.send(stopper, 'stop');
    for (let i = 0; i < 10; i++) sent(engine.send(stopper, value()), 'delivered');
    await engine.watch(stopper);
    engine.runUntilIdle();

    for (let i = 0; i < 200 && collected < made; i++) {
      gc();
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(collected, made, `${made - collected} of ${made} values are still held`);
    await stillWorks(engine);
  }));

test('ctx.request between JS actors hands both values over; the callback runs in the asker, and its throw fails it', () =>
  withEngine(async (engine) => {
    const question = { q: [1, 2] };
    const answer = { a: 'yes' };
    let asked;
    let got;
    const oracle = engine.spawn('oracle', (ctx, m) => { asked = m; return answer; });
    const asker = engine.spawn('asker', (ctx, m) => {
      if (m === 'go') ctx.request(oracle, question, (c, r) => { got = { r, self: c.self }; });
      if (m === 'throw') ctx.request(oracle, question, () => { throw new Error('callback blew up'); });
    });
    engine.send(asker, 'go');
    await until(() => got, 'the callback');
    assert.equal(asked, question, 'the oracle got the very object');
    assert.equal(got.r.ok, true);
    assert.equal(got.r.value, answer, 'the callback got the very reply');
    assert.equal(got.self, asker, "the callback's ctx is the asker's");
    engine.send(asker, 'throw');
    await until(() => actorInfo(engine, asker).failures === 1, 'the failure');
    assert.match(actorInfo(engine, asker).lastError, /callback blew up/);
  }));
