import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, turn, until, conserved } from './support.mjs';

test('engine.watch resolves with {pid, reason, detail, existed} when the actor stops', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('target', () => 1);
    engine.runUntilIdle();
    const watched = engine.watch(pid);
    engine.runUntilIdle();  // the watch is in place before the stop
    engine.stop(pid);
    const end = await watched;
    assert.equal(end.pid, pid);
    assert.equal(end.reason, 'requested');
    assert.equal(end.existed, true);
    assert.equal(typeof end.detail, 'string');
  }));

test('engine.watch of an already stopped actor resolves at once', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('target', () => 1);
    const first = engine.watch(pid);
    engine.stop(pid);
    await first;
    const again = await engine.watch(pid);
    assert.equal(again.pid, pid);
    assert.equal(again.existed, true);
  }));

test('engine.watch of a pid that never existed resolves with existed:false', () =>
  withEngine(async (engine) => {
    const end = await engine.watch('<1.777777.0>');
    assert.equal(end.pid, '<1.777777.0>');
    assert.equal(end.existed, false);
  }));

test('engine.watch reports a failure that stops the actor', () =>
  withEngine(async (engine) => {
    let child;
    engine.spawn('parent', { started(ctx) { child = ctx.spawn('c', () => { throw new Error('fatal'); }); }, receive() {} },
      { supervisor: { directive: 'stop' } });
    engine.runUntilIdle();
    const end = engine.watch(child);
    engine.send(child, 'x');
    const info = await end;
    assert.equal(info.reason, 'failed');
    assert.match(info.detail, /fatal/);
  }));

test('subscribe: the callback gets spawned, started, dead_letter, failed, restarted and stopped events', () =>
  withEngine(async (engine) => {
    const events = [];
    const unsubscribe = engine.subscribe((e) => events.push(e));
    assert.equal(typeof unsubscribe, 'function');
    const pid = engine.spawn('subject', (ctx, m) => { if (m === 'crash') throw new Error('crashed on purpose'); return m; });
    assert.equal(await engine.request(pid, 'ok'), 'ok');
    await assert.rejects(engine.request(pid, 'crash'));
    const done = engine.watch(pid);
    engine.stop(pid);
    await done;
    engine.send(pid, 'too late');
    await until(() => events.some((e) => e.kind === 'dead_letter' && e.messageType.includes('JsMessage')), 'the dead letter');
    const kinds = new Set(events.map((e) => e.kind));
    for (const k of ['spawned', 'started', 'failed', 'restarted', 'stopped', 'dead_letter']) assert.ok(kinds.has(k), `missing a '${k}' event in ${[...kinds]}`);

    const spawned = events.find((e) => e.kind === 'spawned' && e.name === 'subject');
    assert.equal(spawned.pid, pid);
    assert.equal(spawned.parent, null);
    assert.equal(typeof spawned.mailboxCapacity, 'number');
    const failed = events.find((e) => e.kind === 'failed');
    assert.match(failed.error, /crashed on purpose/);
    const restarted = events.find((e) => e.kind === 'restarted');
    assert.equal(restarted.restarts, 1);
    assert.equal(restarted.generation, 1);
    const stopped = events.find((e) => e.kind === 'stopped' && e.pid.startsWith(pid.slice(0, pid.lastIndexOf('.'))));
    assert.equal(stopped.reason, 'requested');
    for (const e of events) {
      assert.equal(typeof e.seq, 'number');
      assert.equal(typeof e.timeMs, 'number');
    }
    // sequence numbers increase
    for (let i = 1; i < events.length; i++) assert.ok(events[i].seq > events[i - 1].seq);
    unsubscribe();
  }));

test('subscribe: events arrive after the engine turn, never synchronously inside a call', () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => events.push(e.kind));
    engine.spawn('quiet', () => 1);
    engine.runUntilIdle();
    assert.deepEqual(events, []);
    await turn();
    assert.deepEqual(events, ['spawned', 'started']);
  }));

test('unsubscribe: no events after it, other subscribers keep theirs; calling it twice is harmless', () =>
  withEngine(async (engine) => {
    const a = [];
    const b = [];
    const stopA = engine.subscribe((e) => a.push(e.kind));
    engine.subscribe((e) => b.push(e.kind));
    engine.spawn('one', () => 1);
    engine.runUntilIdle();
    await turn();
    const before = a.length;
    assert.ok(before > 0);
    stopA();
    stopA();
    engine.spawn('two', () => 2);
    engine.runUntilIdle();
    await turn();
    assert.equal(a.length, before);
    assert.ok(b.length > before);
  }));

test('a subscriber that throws does not break the engine or other subscribers', async () => {
  const origError = console.error;
  const logged = [];
  console.error = (...args) => logged.push(args);
  try {
    await withEngine(async (engine) => {
      const got = [];
      engine.subscribe(() => { throw new Error('bad subscriber'); });
      engine.subscribe((e) => got.push(e.kind));
      const pid = engine.spawn('fine', () => 'still fine');
      assert.equal(await engine.request(pid, null), 'still fine');
      await turn();
      assert.ok(got.includes('spawned'));
      assert.ok(logged.length > 0);
      assert.ok(logged.some((args) => args.some((a) => a instanceof Error && a.message === 'bad subscriber')));
    });
  } finally {
    console.error = origError;
  }
});

test('eventsSince: gap-free sequence numbers and `next` as a cursor', () =>
  withEngine(async (engine) => {
    for (let i = 0; i < 5; i++) engine.spawn(`a${i}`, () => i);
    engine.runUntilIdle();
    const all = engine.eventsSince(0);
    assert.equal(all.missed, 0);
    assert.ok(all.events.length >= 10);
    all.events.forEach((e, i) => assert.equal(e.seq, i + 1));
    assert.equal(all.next, all.events.at(-1).seq);
    assert.equal(engine.snapshot().lastSeq, all.next);

    // paging with max and the cursor yields the same events
    const paged = [];
    let cursor = 0;
    for (;;) {
      const page = engine.eventsSince(cursor, 3);
      assert.ok(page.events.length <= 3);
      if (page.events.length === 0) break;
      paged.push(...page.events);
      cursor = page.next;
    }
    assert.deepEqual(paged, all.events);

    // nothing new: empty, cursor unchanged
    assert.deepEqual(engine.eventsSince(all.next), { events: [], missed: 0, next: all.next });

    // new events continue after the cursor with no gap
    engine.spawn('later', () => 1);
    engine.runUntilIdle();
    const more = engine.eventsSince(all.next);
    assert.equal(more.events[0].seq, all.next + 1);
    more.events.forEach((e, i) => assert.equal(e.seq, all.next + 1 + i));
  }));

test('eventsSince: `missed` counts events that fell out of a tiny ring', () =>
  withEngine({ eventRingCapacity: 4 }, async (engine) => {
    for (let i = 0; i < 5; i++) engine.spawn(`a${i}`, () => i);  // 10 events
    engine.runUntilIdle();
    const batch = engine.eventsSince(0);
    assert.ok(batch.events.length <= 4);
    assert.ok(batch.missed > 0);
    assert.equal(batch.missed + batch.events.length, batch.next);
    assert.equal(batch.events[0].seq, batch.missed + 1);
    batch.events.forEach((e, i) => assert.equal(e.seq, batch.missed + 1 + i));
    // reading on from the cursor misses nothing
    assert.equal(engine.eventsSince(batch.next).missed, 0);
  }));

test('snapshot: actors with state, parent/children and per-actor counters', () =>
  withEngine(async (engine) => {
    const parent = engine.spawn('parent', (ctx, m) => { if (m === 'kid') return ctx.spawn('kid', () => 'kid'); return 'p'; });
    const kid = await engine.request(parent, 'kid');
    engine.send(kid, 'a');
    engine.send(kid, 'b');
    engine.runUntilIdle();
    const snap = engine.snapshot();
    assert.equal(typeof snap.lastSeq, 'number');
    assert.equal(typeof snap.timeMs, 'number');
    assert.equal(typeof snap.counters.sent, 'number');
    const p = snap.actors.find((a) => a.pid === parent);
    const k = snap.actors.find((a) => a.pid === kid);
    assert.equal(p.name, 'parent');
    assert.equal(p.state, 'running');
    assert.equal(p.parent, null);
    assert.deepEqual(p.children, [kid]);
    assert.equal(k.parent, parent);
    assert.equal(k.state, 'running');
    assert.deepEqual(k.children, []);
    assert.equal(k.received, 2);
    assert.equal(k.processed, 2);
    assert.equal(k.mailboxDepth, 0);
    assert.equal(k.restarts, 0);
    assert.equal(k.failures, 0);
    assert.equal(k.lastError, '');
    for (const key of ['mailboxCapacity', 'overflow', 'deadLettered', 'dropped', 'sent', 'health']) assert.ok(key in k, key);
  }));

test('counters: sent == processed + deadLettered + dropped once idle', () =>
  withEngine(async (engine) => {
    const echo = engine.spawnNative('echo', 'echo');
    const counter = engine.spawnNative('counter', 'counter');
    const crashy = engine.spawn('crashy', (ctx, m) => { if (m === 'boom') throw new Error('boom'); ctx.send(counter, { add: 1 }); return m; });
    const small = engine.spawn('small', () => {}, { mailboxCapacity: 1 });
    engine.runUntilIdle();
    for (let i = 0; i < 20; i++) engine.send(crashy, i);
    await Promise.all([engine.request(echo, 1), engine.request(crashy, 'x')]);
    await assert.rejects(engine.request(crashy, 'boom'));
    engine.send('<1.55555.0>', 'dead');
    engine.send(small, 1);
    engine.send(small, 2);  // dropped
    const stopped = engine.spawn('s', () => 1);
    const done = engine.watch(stopped);
    engine.stop(stopped);
    await done;
    engine.send(stopped, 'late');
    engine.runUntilIdle();
    assert.equal(await engine.request(counter, 'get'), 21);
    engine.runUntilIdle();
    const c = engine.counters();
    assert.equal(c.inFlight, 0);
    assert.ok(c.deadLettered >= 2);
    assert.ok(c.dropped >= 1);
    assert.equal(c.sent, c.processed + c.deadLettered + c.dropped, JSON.stringify(c));
    assert.ok(conserved(c));
    assert.equal(c.failures, 1);
    assert.equal(c.restarts, 1);
    assert.deepEqual(engine.snapshot().counters, c);
    assert.equal(c.liveActors, engine.snapshot().actors.length);
    assert.equal(c.spawned - c.stopped, c.liveActors);
  }));
