// Every way a caller can get the API wrong is refused loudly, with a message that says what and
// where, and never corrupts the engine: each test ends by checking the engine still works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, runtime, toJson, ActorsError, throwsType, stillWorks } from './support.mjs';

class Point { constructor() { this.x = 1; } }
const circular = () => { const o = { a: { b: [] } }; o.a.b.push(o); return o; };

// [description, value, expected path, a fragment of the reason]
const NOT_JSON = [
  ['a function', () => 1, 'message', 'function'],
  ['undefined', undefined, 'message', 'undefined'],
  ['NaN', NaN, 'message', 'NaN'],
  ['Infinity', Infinity, 'message', 'Infinity'],
  ['-Infinity', -Infinity, 'message', '-Infinity'],
  ['a BigInt', 10n, 'message', 'bigint'],
  ['a Symbol', Symbol('s'), 'message', 'symbol'],
  ['a Date', new Date(0), 'message', 'Date'],
  ['a Map', new Map([[1, 2]]), 'message', 'Map'],
  ['a Set', new Set([1]), 'message', 'Set'],
  ['a class instance', new Point(), 'message', 'Point'],
  ['a typed array', new Uint8Array(2), 'message', 'Uint8Array'],
  ['an Error', new Error('x'), 'message', 'Error'],
  ['a nested function', { a: [1, () => 1] }, 'message.a[1]', 'function'],
  ['a nested NaN', { a: [1, NaN] }, 'message.a[1]', 'NaN'],
  ['a nested undefined', { a: { b: undefined } }, 'message.a.b', 'undefined'],
  ['a nested Infinity', [0, [0, { v: Infinity }]], 'message[1][1].v', 'Infinity'],
  ['a nested BigInt', { n: [1n] }, 'message.n[0]', 'bigint'],
  ['a nested Symbol', { s: Symbol.iterator }, 'message.s', 'symbol'],
  ['a nested Date', { when: new Date() }, 'message.when', 'Date'],
  ['a nested Map', { m: new Map() }, 'message.m', 'Map'],
  ['a nested class instance', { p: [new Point()] }, 'message.p[0]', 'Point'],
  ['a circular object', circular(), 'message.a.b[0]', 'circular'],
];

for (const [what, value, path, reason] of NOT_JSON) {
  test(`a message containing ${what} is refused with a TypeError naming '${path}'`, () =>
    withEngine(async (engine) => {
      const seen = [];
      const pid = engine.spawn('sink', (ctx, m) => { seen.push(m); return 'ok'; });
      throwsType(() => engine.send(pid, value), `${path} `, reason);
      throwsType(() => engine.request(pid, value), `${path} `, reason);
      throwsType(() => toJson(value), `${path} `, reason);
      engine.runUntilIdle();
      assert.deepEqual(seen, [], 'nothing was delivered');
      await stillWorks(engine);
    }));
}

test('toJson accepts plain data, shared (non-circular) references and null-prototype objects', () => {
  const shared = { s: 1 };
  assert.equal(toJson({ a: shared, b: [shared, shared] }), '{"a":{"s":1},"b":[{"s":1},{"s":1}]}');
  const bare = Object.create(null);
  bare.k = 'v';
  assert.equal(toJson(bare), '{"k":"v"}');
  assert.equal(toJson([null, true, 0, -1.5, 'x', {}, []]), '[null,true,0,-1.5,"x",{},[]]');
  throwsType(() => toJson({ f() {} }, 'payload'), 'payload.f');
});

test('non-JSON values are refused wherever a handler sends them (ctx.send, ctx.reply, ctx.publish, ctx.sendAfter, ctx.request)', () =>
  withEngine(async (engine) => {
    const errors = {};
    const attempt = (name, fn) => { try { fn(); errors[name] = null; } catch (e) { errors[name] = e; } };
    const pid = engine.spawn('writer', (ctx, m) => {
      attempt('send', () => ctx.send(ctx.self, { x: [NaN] }));
      attempt('reply', () => ctx.reply({ when: new Date() }));
      attempt('publish', () => ctx.publish('t', { f: () => 1 }));
      attempt('sendAfter', () => ctx.sendAfter(1, ctx.self, [undefined]));
      attempt('sendRepeat', () => ctx.sendRepeat(1, ctx.self, { m: new Map() }));
      attempt('request', () => ctx.request(ctx.self, 1n, () => {}));
      return 'survived';
    });
    assert.equal(await engine.request(pid, 'go'), 'survived');
    const expect = {
      send: 'message.x[0] is NaN',
      reply: 'reply.when is a Date',
      publish: 'data.f is a function',
      sendAfter: 'message[0] is undefined',
      sendRepeat: 'message.m is a Map',
      request: 'message is a bigint',
    };
    for (const [name, fragment] of Object.entries(expect)) {
      assert.ok(errors[name] instanceof TypeError, `${name}: expected a TypeError, got ${errors[name]}`);
      assert.ok(errors[name].message.includes(fragment), `${name}: '${errors[name].message}' should mention '${fragment}'`);
    }
  }));

test('name must be a string (spawn, spawnNative, lookup, ctx.spawn)', () =>
  withEngine(async (engine) => {
    for (const bad of [5, null, undefined, {}, ['a'], Symbol('n')]) {
      throwsType(() => engine.spawn(bad, () => 1), 'name must be a string');
      throwsType(() => engine.spawnNative(bad, 'echo'), 'name must be a string');
      throwsType(() => engine.lookup(bad), 'name must be a string');
    }
    let inside;
    const pid = engine.spawn('p', (ctx) => { try { ctx.spawn(42, () => 1); } catch (e) { inside = e; } return 1; });
    await engine.request(pid, null);
    assert.ok(inside instanceof TypeError && inside.message.includes('name must be a string'));
    await stillWorks(engine);
  }));

test('kind must be a string naming a registered native actor', () =>
  withEngine(async (engine) => {
    for (const bad of [1, null, undefined, {}]) throwsType(() => engine.spawnNative('n', bad), 'kind must be a string');
    assert.throws(() => engine.spawnNative('n', ''), actorsError('invalid_argument', 'counter'));
    await stillWorks(engine);
  }));

test('behaviour must be a function or an object with a receive function', () =>
  withEngine(async (engine) => {
    for (const bad of [undefined, null, 5, 'receive', [], {}, { receive: 'nope' }, { started() {} }])
      throwsType(() => engine.spawn('b', bad), 'behaviour must be');
    assert.equal(engine.lookup('b'), null);
    await stillWorks(engine);
  }));

test('pid arguments must be pid strings "<node.id.generation>"', () =>
  withEngine(async (engine) => {
    const calls = {
      send: (p) => engine.send(p, 1),
      request: (p) => engine.request(p, 1),
      stop: (p) => engine.stop(p),
      poison: (p) => engine.poison(p),
      alive: (p) => engine.alive(p),
      watch: (p) => engine.watch(p),
    };
    for (const [name, call] of Object.entries(calls)) {
      for (const bad of [1, null, undefined, {}, ['<1.1.0>']]) throwsType(() => call(bad), 'pid must be a string');
      for (const bad of ['', 'abc', '<1.2>', '<1.2.3', '1.2.3', '<a.b.c>', '<1.2.3.4>', ' <1.2.3>', '<-1.2.3>'])
        throwsType(() => call(bad), `'${bad}' is not a pid`);
    }
    // well-formed but out of range: refused by the engine
    assert.throws(() => engine.send('<99999999999.1.0>', 1), actorsError('invalid_argument', 'not a pid'));
    await assert.rejects(engine.request('<99999999999.1.0>', 1), actorsError('invalid_argument', 'not a pid'));
    await stillWorks(engine);
  }));

test('pid arguments are checked inside handlers too (ctx.send, ctx.request, ctx.watch, ctx.stop, ctx.sendAfter)', () =>
  withEngine(async (engine) => {
    const errors = [];
    const pid = engine.spawn('p', (ctx) => {
      for (const call of [
        () => ctx.send('x', 1),
        () => ctx.request(7, 1, () => {}),
        () => ctx.watch(null),
        () => ctx.unwatch('<>'),
        () => ctx.stop('self'),
        () => ctx.sendAfter(1, undefined, 1),
        () => ctx.sendRepeat(1, {}, 1),
      ]) {
        try { call(); errors.push(null); } catch (e) { errors.push(e); }
      }
      return 'done';
    });
    assert.equal(await engine.request(pid, null), 'done');
    assert.equal(errors.length, 7);
    for (const e of errors) assert.ok(e instanceof TypeError && /pid/.test(e.message), String(e));
  }));

test('other handler-side arguments: ctx.request needs a callback, ctx.publish a string topic, timers a valid delay', () =>
  withEngine(async (engine) => {
    const errors = {};
    const attempt = (name, fn) => { try { fn(); errors[name] = null; } catch (e) { errors[name] = e; } };
    const pid = engine.spawn('p', (ctx) => {
      attempt('noCallback', () => ctx.request(ctx.self, 1));
      attempt('topic', () => ctx.publish(5));
      attempt('negativeDelay', () => ctx.sendAfter(-1, ctx.self, 1));
      attempt('infiniteDelay', () => ctx.sendRepeat(Infinity, ctx.self, 1));
      attempt('negativeTimeout', () => ctx.request(ctx.self, 1, () => {}, { timeoutMs: -5 }));
      return 'done';
    });
    assert.equal(await engine.request(pid, null), 'done');
    assert.ok(errors.noCallback instanceof TypeError && errors.noCallback.message.includes('callback'));
    assert.ok(errors.topic instanceof TypeError && errors.topic.message.includes('topic must be a string'));
    for (const k of ['negativeDelay', 'infiniteDelay']) {
      assert.ok(errors[k] instanceof ActorsError, k);
      assert.equal(errors[k].code, 'invalid_argument');
      assert.match(errors[k].message, /delay/);
    }
    // Checked in JS, like engine.request's timeoutMs.
    assert.ok(errors.negativeTimeout instanceof TypeError && errors.negativeTimeout.message.includes('timeoutMs'));
  }));

test('spawn options must be an object', () =>
  withEngine(async (engine) => {
    for (const bad of [null, 5, 'fast', [], true]) {
      throwsType(() => engine.spawn('o', () => 1, bad), 'spawn options must be an object');
      throwsType(() => engine.spawnNative('o', 'echo', bad), 'spawn options must be an object');
    }
    assert.throws(() => engine.spawn('o', () => 1, { supervisor: 5 }), actorsError('invalid_argument', 'spawn options.supervisor must be an object'));
    assert.equal(engine.lookup('o'), null);
    await stillWorks(engine);
  }));

test('an unknown spawn option is refused with an error naming it', () =>
  withEngine(async (engine) => {
    assert.throws(() => engine.spawn('o', () => 1, { mailboxCapacty: 4 }), actorsError('invalid_argument', "unknown option 'mailboxCapacty'"));
    assert.throws(() => engine.spawnNative('o', 'counter', { bogus: 1 }), actorsError('invalid_argument', "unknown option 'bogus'"));
    assert.throws(() => engine.spawn('o', () => 1, { supervisor: { directve: 'stop' } }),
      actorsError('invalid_argument', "spawn options.supervisor has an unknown option 'directve'"));
    assert.equal(engine.lookup('o'), null);
    await stillWorks(engine);
  }));

test('bad spawn option values are refused with the allowed values or range', () =>
  withEngine(async (engine) => {
    const cases = [
      [{ overflow: 'explode' }, 'spawn options.overflow must be one of "drop_newest", "drop_oldest", "reject_sender"'],
      [{ overflow: 1 }, 'spawn options.overflow must be one of'],
      [{ mailboxCapacity: 0 }, 'spawn options.mailboxCapacity must be a number from 1'],
      [{ mailboxCapacity: -3 }, 'spawn options.mailboxCapacity must be a number from 1'],
      [{ mailboxCapacity: '8' }, 'spawn options.mailboxCapacity must be a number'],
      [{ supervisor: { directive: 'ignore' } }, 'spawn options.supervisor.directive must be one of "restart", "resume", "stop", "escalate"'],
      [{ supervisor: { strategy: 'one_for_all' } }, 'spawn options.supervisor.strategy must be one of'],
      [{ supervisor: { restart: 'sometimes' } }, 'spawn options.supervisor.restart must be one of'],
      [{ supervisor: { jitter: 2 } }, 'spawn options.supervisor.jitter must be a number from 0 to 1'],
      [{ supervisor: { factor: 0.5 } }, 'spawn options.supervisor.factor must be a number from 1'],
    ];
    for (const [opts, message] of cases) assert.throws(() => engine.spawn('o', () => 1, opts), actorsError('invalid_argument', message), JSON.stringify(opts));
    // non-JSON option values are caught before they reach the engine, naming the option
    throwsType(() => engine.spawn('o', () => 1, { mailboxCapacity: NaN }), 'spawn options.mailboxCapacity is NaN');
    assert.equal(engine.lookup('o'), null);
    await stillWorks(engine);
  }));

test('request options: timeoutMs must be a non-negative finite number', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('p', () => 1);
    for (const bad of ['10', -1, NaN, Infinity, null, {}]) throwsType(() => engine.request(pid, 1, { timeoutMs: bad }), 'timeoutMs');
    await stillWorks(engine);
  }));

test('eventsSince: arguments must be non-negative numbers', () =>
  withEngine(async (engine) => {
    throwsType(() => engine.eventsSince('0'), 'numbers expected');
    throwsType(() => engine.eventsSince(0, '10'), 'numbers expected');
    assert.throws(() => engine.eventsSince(-1), actorsError('invalid_argument', 'non-negative'));
    assert.throws(() => engine.eventsSince(0, -1), actorsError('invalid_argument', 'non-negative'));
    assert.throws(() => engine.eventsSince(NaN), actorsError('invalid_argument'));
    await stillWorks(engine);
  }));

test('subscribe needs a function', () =>
  withEngine(async (engine) => {
    for (const bad of [undefined, null, 'cb', {}]) throwsType(() => engine.subscribe(bad), 'callback must be a function');
    await stillWorks(engine);
  }));

test('invalid engine options are refused', () => {
  const refused = [
    [{ mailboxCapacity: 0 }, actorsError('invalid_argument', 'engine options.mailboxCapacity must be a number from 1')],
    [{ bogus: 1 }, actorsError('invalid_argument', "engine options has an unknown option 'bogus'")],
    [{ health: { enabeld: true } }, actorsError('invalid_argument', "engine options.health has an unknown option 'enabeld'")],
    [{ eventRingCapacity: 0 }, actorsError('invalid_argument', 'engine options.eventRingCapacity')],
    [{ requestTimeoutMs: 0 }, actorsError('invalid_argument', 'engine options.requestTimeoutMs')],
    [{ throughput: 'lots' }, actorsError('invalid_argument', 'engine options.throughput')],
    [{ tickBudgetMs: -1 }, TypeError],
    [{ tickBudgetMs: 0 }, TypeError],
    [{ tickBudgetMs: '4' }, TypeError],
    [{ tickBudgetMs: NaN }, TypeError],
    [{ throughput: NaN }, TypeError],
    [null, TypeError],
    [5, TypeError],
    ['fast', TypeError],
  ];
  for (const [options, expected] of refused) assert.throws(() => runtime.createEngine(options), expected, JSON.stringify(options));
  // valid options work
  const engine = runtime.createEngine({ tickBudgetMs: 2, mailboxCapacity: 8, eventRingCapacity: 16, throughput: 4, requestTimeoutMs: 1000, seed: 7, health: { enabled: false } });
  engine.shutdown();
});

test("a shut-down engine refuses work with ActorsError 'engine_stopped'", async () => {
  const engine = runtime.createEngine();
  const pid = engine.spawn('a', () => 1);
  engine.shutdown();
  assert.equal(engine.running, false);
  const calls = {
    spawn: () => engine.spawn('b', () => 1),
    spawnNative: () => engine.spawnNative('c', 'echo'),
    send: () => engine.send(pid, 1),
    request: () => engine.request(pid, 1),
    stop: () => engine.stop(pid),
    poison: () => engine.poison(pid),
    lookup: () => engine.lookup('a'),
    alive: () => engine.alive(pid),
    watch: () => engine.watch(pid),
    subscribe: () => engine.subscribe(() => {}),
    runUntilIdle: () => engine.runUntilIdle(),
  };
  for (const [name, call] of Object.entries(calls)) assert.throws(call, actorsError('engine_stopped', `engine.${name}()`), name);
});

test('a request still waiting at shutdown is settled (rejected), never left hanging', async () => {
  const engine = runtime.createEngine();
  let child;
  engine.spawn('parent', { started(ctx) { child = ctx.spawn('c', () => { throw new Error('x'); }); }, receive() {} },
    { supervisor: { restart: 'fixed', delayMs: 3_600_000 } });
  engine.runUntilIdle();
  engine.send(child, 'boom');
  engine.runUntilIdle();
  const waiting = engine.request(child, 'never answered');
  // Its target stops during the graceful shutdown ('actor_stopped'); 'engine_stopped' is what
  // the wrapper uses for anything the engine itself did not answer.
  const settled = assert.rejects(waiting, (e) => e instanceof ActorsError && ['actor_stopped', 'engine_stopped'].includes(e.code));
  engine.shutdown();
  await settled;
});

test('an unsubscribe function returned before shutdown is harmless after it', () => {
  const engine = runtime.createEngine();
  const unsubscribe = engine.subscribe(() => {});
  engine.shutdown();
  unsubscribe();
});
