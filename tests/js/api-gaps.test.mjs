// Regression tests for gaps the first version of the JS API had: each reproduces one, fixed since.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, runtime, ActorsError } from './support.mjs';

const loopTurns = async (n) => { for (let i = 0; i < n; i++) await new Promise((r) => setTimeout(r, 1)); };

test("snapshot/counters/eventsSince/nativeKinds on a shut-down engine throw ActorsError 'engine_stopped'",
  () => {
    const engine = runtime.createEngine();
    engine.shutdown();
    const calls = {
      snapshot: () => engine.snapshot(),
      counters: () => engine.counters(),
      eventsSince: () => engine.eventsSince(0),
      nativeKinds: () => engine.nativeKinds(),
    };
    const wrong = [];
    for (const [name, call] of Object.entries(calls)) {
      try { call(); wrong.push(`${name}: did not throw`); } catch (e) {
        if (!(e instanceof ActorsError) || e.code !== 'engine_stopped') wrong.push(`${name}: ${e.name}: ${e.message}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

test('tickBudgetMs: a non-finite or huge budget is refused, or the engine still runs',
  async () => {
    for (const tickBudgetMs of [Infinity, 1e300]) {
      let engine;
      try {
        engine = runtime.createEngine({ tickBudgetMs });
      } catch (e) {
        assert.ok(e instanceof TypeError, `refused, but with ${e}`);
        continue;
      }
      try {
        let handled = false;
        const pid = engine.spawn('a', () => { handled = true; });
        engine.send(pid, 'hello');
        await loopTurns(20);  // the engine ticks on the first of these
        assert.ok(handled, `tickBudgetMs ${tickBudgetMs}: accepted, but the message was never handled`);
      } finally {
        engine.shutdown();
      }
    }
  });

test('ctx.request validates timeoutMs like engine.request does',
  () =>
    withEngine(async (engine) => {
      let error = null;
      const pid = engine.spawn('p', (ctx, m) => {
        if (m !== 'go') return 'ok';
        try { ctx.request(ctx.self, 1, () => {}, { timeoutMs: '10' }); } catch (e) { error = e; }
        return 'done';
      });
      await engine.request(pid, 'go');
      assert.ok(error instanceof TypeError, `expected a TypeError, got ${error}`);
    }));

test('request options are checked like spawn and engine options (object only, unknown keys named)',
  () =>
    withEngine(async (engine) => {
      const pid = engine.spawn('p', () => 1);
      const outcomes = [];
      for (const options of [{ timeout: 5 }, 5, 'fast', null]) {
        try {
          const p = engine.request(pid, 1, options);
          await p;
          outcomes.push(`${JSON.stringify(options)}: accepted`);
        } catch (e) {
          const named = options && typeof options === 'object' ? e.message.includes('timeout') : /options/.test(e.message);
          if (!named) outcomes.push(`${JSON.stringify(options)}: ${e.message}`);
        }
      }
      assert.deepEqual(outcomes, []);
    }));

test('engine options must be a plain object (arrays refused, like spawn options)',
  () => {
    assert.throws(() => runtime.createEngine([]), TypeError);
  });

test("ctx.cancelTimer after its handler returned throws 'logic_error' like every other ctx method",
  () =>
    withEngine(async (engine) => {
      let saved;
      let id;
      const pid = engine.spawn('p', (ctx) => { saved = ctx; id = ctx.sendAfter(60_000, ctx.self, 'later'); return 'ok'; });
      await engine.request(pid, null);
      assert.throws(() => saved.cancelTimer(id), actorsError('logic_error', 'ctx.cancelTimer'));
    }));
