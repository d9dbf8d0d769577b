// Many messages handled in one engine turn and across turns: what stays true however the engine
// groups its deliveries to JS (per message today; in batches if it ever hands JS several at once).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, until, turn, actorInfo, conserved } from './support.mjs';

test('a handler that throws in the middle of a burst fails that actor only: the rest reach its restarted instance in order, a sibling is untouched', () =>
  withEngine(async (engine) => {
    const seen = [];
    const other = [];
    const events = [];
    engine.subscribe((e) => events.push(e));
    const pid = engine.spawn('bursty', (ctx, m) => {
      if (m === 5) throw new Error('five');
      seen.push(m);
    });
    const sibling = engine.spawn('sibling', (ctx, m) => { other.push(m); });
    // Interleaved, so both mailboxes fill in the same turn of the page.
    for (let i = 0; i < 10; i++) {
      engine.send(pid, i);
      engine.send(sibling, i);
    }
    await until(() => seen.length === 9 && other.length === 10, 'both bursts handled');
    assert.deepEqual(seen, [0, 1, 2, 3, 4, 6, 7, 8, 9]);
    assert.deepEqual(other, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(actorInfo(engine, pid).restarts, 1);
    assert.equal(actorInfo(engine, sibling).restarts, 0);
    engine.runUntilIdle();
    await turn();
    // The message it threw on is the one dead letter; nothing else went missing.
    const dead = events.filter((e) => e.kind === 'dead_letter');
    assert.equal(dead.length, 1, JSON.stringify(dead));
    assert.equal(dead[0].reason, 'handler_failed');
    assert.ok(conserved(engine.counters()), JSON.stringify(engine.counters()));
  }));

test("a throw in the middle of a burst under supervisor {directive:'stop'}: the messages after it become dead letters, none is handled", () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => events.push(e));
    const seen = [];
    let child;
    engine.spawn('parent', {
      started(ctx) {
        child = ctx.spawn('child', (c, m) => {
          if (m === 3) throw new Error('three');
          seen.push(m);
        });
      },
      receive() {},
    }, { supervisor: { directive: 'stop' } });
    engine.runUntilIdle();
    for (let i = 0; i < 8; i++) engine.send(child, i);
    await engine.watch(child);
    engine.runUntilIdle();
    await turn();
    assert.deepEqual(seen, [0, 1, 2]);
    const dead = events.filter((e) => e.kind === 'dead_letter' && e.target === child);
    // 3 failed its handler; 4..7 were still queued when the actor stopped.
    assert.equal(dead.length, 5, JSON.stringify(dead));
    assert.equal(dead.filter((e) => e.reason === 'handler_failed').length, 1);
    assert.ok(conserved(engine.counters()), JSON.stringify(engine.counters()));
  }));

test('order holds across turn boundaries: a long burst split over many short ticks, with sends from outside and from a relay in between', () =>
  // A tiny budget makes the engine yield to the event loop many times inside the burst.
  withEngine({ tickBudgetMs: 0.05 }, async (engine) => {
    const n = 20000;
    const got = [];
    const relayed = [];
    const sink = engine.spawn('sink', (ctx, m) => {
      if (typeof m === 'number') got.push(m);
      else relayed.push(m.r);
    }, { mailboxCapacity: n + 1000 });
    const relay = engine.spawn('relay', (ctx, m) => { ctx.send(sink, { r: m }); }, { mailboxCapacity: 1000 });
    for (let i = 0; i < n; i++) engine.send(sink, i);
    for (let k = 0; k < 50; k++) {
      await turn();  // the engine has run a slice of the burst by now
      engine.send(sink, n + k);
      engine.send(relay, k);
    }
    await until(() => got.length === n + 50 && relayed.length === 50, 'every message handled');
    assert.ok(got.every((v, i) => v === i), 'the sink saw its messages out of order');
    assert.deepEqual(relayed, Array.from({ length: 50 }, (_, k) => k));
    assert.ok(conserved(engine.counters()), JSON.stringify(engine.counters()));
  }));

test('subscribe callbacks get their events in sequence order, without gaps, across the batches they come in', () =>
  withEngine({ tickBudgetMs: 0.05 }, async (engine) => {
    const seqs = [];
    engine.subscribe((e) => { seqs.push(e.seq); });
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 50; i++) engine.spawn('', () => {});
      await turn();
    }
    engine.runUntilIdle();
    await turn();
    assert.ok(seqs.length >= 2000, `${seqs.length} events`);  // spawned and started for each
    for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, `a gap or reorder at ${i}`);
  }));
