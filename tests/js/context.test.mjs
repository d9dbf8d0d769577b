import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, until, actorInfo, ActorsError } from './support.mjs';

test('ctx.self, ctx.name, ctx.parent and ctx.sender inside a handler', () =>
  withEngine(async (engine) => {
    const who = engine.spawn('who', (ctx, msg) => ({ self: ctx.self, name: ctx.name, parent: ctx.parent, sender: ctx.sender }));
    // a request from outside any actor has no sender
    assert.deepEqual(await engine.request(who, null), { self: who, name: 'who', parent: null, sender: null });

    // a message sent by another actor carries that actor as sender
    let seenSender;
    const sink = engine.spawn('sink', (ctx) => { seenSender = ctx.sender; });
    const relay = engine.spawn('relay', (ctx, msg) => { ctx.send(sink, msg); });
    engine.send(relay, 'x');
    engine.runUntilIdle();
    assert.equal(seenSender, relay);
  }));

test('ctx.send returns a status and delivers to another actor', () =>
  withEngine(async (engine) => {
    const seen = [];
    const sink = engine.spawn('sink', (ctx, m) => { seen.push(m); });
    const statuses = [];
    const src = engine.spawn('src', (ctx, m) => {
      statuses.push(ctx.send(sink, { from: ctx.name, m }));
      statuses.push(ctx.send('<1.424242.0>', 'void'));
    });
    engine.send(src, 7);
    engine.runUntilIdle();
    assert.deepEqual(statuses, ['delivered', 'dead_letter']);
    assert.deepEqual(seen, [{ from: 'src', m: 7 }]);
  }));

test('ctx.request: the callback runs later, inside the asking actor, with the result', () =>
  withEngine(async (engine) => {
    const echo = engine.spawnNative('echo', 'echo');
    const results = [];
    const asker = engine.spawn('asker', (ctx, m) => {
      if (m !== 'go') return;
      const me = ctx.self;
      let returned = false;
      ctx.request(echo, { q: 42 }, (cctx, result) => {
        results.push({ returned, self: cctx.self, name: cctx.name, meAtAsk: me, result });
        cctx.send(cctx.self, 'from-callback');  // the callback's ctx works like a handler's
      });
      returned = true;
    });
    engine.send(asker, 'go');
    await until(() => results.length === 1, 'the ctx.request callback');
    const [r] = results;
    assert.equal(r.returned, true, 'callback must not run synchronously inside ctx.request');
    assert.equal(r.self, asker);
    assert.equal(r.meAtAsk, asker);
    assert.equal(r.name, 'asker');
    assert.deepEqual(r.result, { ok: true, value: { q: 42 } });
  }));

test('ctx.request: a failure reaches the callback as {ok:false, error: ActorsError}', () =>
  withEngine(async (engine) => {
    let result;
    const asker = engine.spawn('asker', (ctx) => {
      ctx.request('<1.31337.0>', 'hello?', (c, r) => { result = r; });
    });
    engine.send(asker, 'go');
    await until(() => result, 'the ctx.request callback');
    assert.equal(result.ok, false);
    assert.ok(result.error instanceof ActorsError);
    assert.equal(result.error.code, 'no_such_actor');
  }));

test('ctx.request: a callback that throws fails the asking actor', () =>
  withEngine(async (engine) => {
    const echo = engine.spawnNative('echo', 'echo');
    const asker = engine.spawn('asker', (ctx, m) => {
      if (m === 'go') ctx.request(echo, 1, () => { throw new Error('callback blew up'); });
    });
    engine.send(asker, 'go');
    await until(() => actorInfo(engine, asker).failures === 1, 'the failure');
    assert.match(actorInfo(engine, asker).lastError, /callback blew up/);
  }));

test('ctx.spawn creates a child: parent/children in the snapshot, ctx.parent in the child', () =>
  withEngine(async (engine) => {
    const parent = engine.spawn('parent', (ctx, m) => {
      if (m === 'spawn') return ctx.spawn('kid', (c) => ({ parent: c.parent, name: c.name }));
    });
    const child = await engine.request(parent, 'spawn');
    assert.match(child, /^<\d+\.\d+\.\d+>$/);
    const answer = await engine.request(child, null);
    assert.equal(answer.parent, parent);
    assert.match(answer.name, /kid$/);
    const snap = engine.snapshot();
    const p = snap.actors.find((a) => a.pid === parent);
    const c = snap.actors.find((a) => a.pid === child);
    assert.deepEqual(p.children, [child]);
    assert.equal(c.parent, parent);
    // stopping the parent stops the child too
    const childEnd = engine.watch(child);
    engine.stop(parent);
    const end = await childEnd;
    assert.equal(end.reason, 'parent_stopped');
  }));

test("ctx.watch: the watcher receives {$type:'terminated', ...} when the target stops", () =>
  withEngine(async (engine) => {
    const notes = [];
    const victim = engine.spawn('victim', () => 1);
    const watcher = engine.spawn('watcher', (ctx, m) => {
      if (m && m.$type) { notes.push(m); return; }
      if (m.watch) ctx.watch(m.watch);
    });
    engine.send(watcher, { watch: victim });
    engine.runUntilIdle();
    engine.stop(victim);
    await until(() => notes.length === 1, 'the terminated notification');
    assert.deepEqual(notes[0], { $type: 'terminated', pid: victim, reason: 'requested', detail: notes[0].detail, existed: true });
    assert.equal(typeof notes[0].detail, 'string');
  }));

test('ctx.unwatch: no notification after unwatching', () =>
  withEngine(async (engine) => {
    const notes = [];
    const victim = engine.spawn('victim', () => 1);
    const watcher = engine.spawn('watcher', (ctx, m) => {
      if (m && m.$type) { notes.push(m); return; }
      if (m === 'watch') ctx.watch(victim);
      if (m === 'unwatch') ctx.unwatch(victim);
      if (m === 'ping') return 'pong';
    });
    engine.send(watcher, 'watch');
    engine.send(watcher, 'unwatch');
    engine.runUntilIdle();
    const done = engine.watch(victim);
    engine.stop(victim);
    await done;
    assert.equal(await engine.request(watcher, 'ping'), 'pong');  // anything queued has been handled
    assert.deepEqual(notes, []);
  }));

test('ctx.sendAfter delivers later; ctx.cancelTimer cancels a pending timer', () =>
  withEngine(async (engine) => {
    const seen = [];
    let timerIds;
    const pid = engine.spawn('timed', (ctx, m) => {
      if (m === 'arm') {
        // Long enough that the runUntilIdle() below cannot outlast it: at 1 ms a cold start (the
        // first test of a process) or a loaded machine let the timer fire inside that call.
        const keep = ctx.sendAfter(100, ctx.self, 'kept');
        const cancel = ctx.sendAfter(100, ctx.self, 'cancelled');
        timerIds = { keep, cancel, cancelled: ctx.cancelTimer(cancel), again: ctx.cancelTimer(cancel) };
        return;
      }
      seen.push(m);
    });
    engine.send(pid, 'arm');
    engine.runUntilIdle();
    assert.equal(seen.length, 0, 'nothing is delivered before the timer fires');
    assert.equal(typeof timerIds.keep, 'number');
    assert.notEqual(timerIds.keep, timerIds.cancel);
    assert.equal(timerIds.cancelled, true);
    assert.equal(timerIds.again, false);
    await until(() => seen.length >= 1, 'the timer message');
    // give a cancelled timer every chance to misfire: a second, later timer must arrive first
    const marker = engine.spawn('marker', (ctx, m) => { if (m === 'arm') ctx.sendAfter(5, pid, 'marker'); });
    engine.send(marker, 'arm');
    await until(() => seen.includes('marker'), 'the marker');
    assert.deepEqual(seen, ['kept', 'marker']);
  }));

test('ctx.sendRepeat repeats until cancelled', () =>
  withEngine(async (engine) => {
    let ticks = 0;
    let id;
    const pid = engine.spawn('repeater', (ctx, m) => {
      if (m === 'start') { id = ctx.sendRepeat(1, ctx.self, 'tick'); return; }
      if (m === 'tick' && ++ticks === 3) ctx.cancelTimer(id);
    });
    engine.send(pid, 'start');
    await until(() => ticks >= 3, 'three ticks');
    const stopAt = ticks;
    // after cancelling, a later one-shot timer arrives and no more ticks were counted
    let done = false;
    engine.spawn('later', (ctx, m) => { if (m === 'arm') ctx.sendAfter(10, ctx.self, 'done'); else done = true; });
    engine.send(engine.lookup('later'), 'arm');
    await until(() => done, 'the later timer');
    assert.equal(ticks, stopAt);
  }));

test("ctx.publish emits a 'custom' event with source, topic and data", () =>
  withEngine(async (engine) => {
    const events = [];
    engine.subscribe((e) => { if (e.kind === 'custom') events.push(e); });
    const pid = engine.spawn('publisher', (ctx, m) => {
      ctx.publish('news', { headline: m });
      ctx.publish('raw', 'as-is');
      ctx.publish('empty');
      return 'ok';
    });
    assert.equal(await engine.request(pid, 'hello'), 'ok');
    await until(() => events.length === 3, 'three custom events');
    assert.deepEqual(events.map((e) => [e.source, e.topic, e.data]), [
      [pid, 'news', JSON.stringify({ headline: 'hello' })],
      [pid, 'raw', 'as-is'],
      [pid, 'empty', ''],
    ]);
  }));

test('ctx.stop() with no argument stops the actor itself', () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('quitter', (ctx, m) => { if (m === 'quit') ctx.stop(); });
    const done = engine.watch(pid);
    engine.send(pid, 'quit');
    const end = await done;
    assert.equal(end.pid, pid);
    assert.equal(engine.alive(pid), false);
  }));

test("using ctx after its handler returned throws ActorsError 'logic_error'", () =>
  withEngine(async (engine) => {
    let saved;
    const pid = engine.spawn('leaky', (ctx) => { saved = ctx; return 'ok'; });
    assert.equal(await engine.request(pid, null), 'ok');
    for (const prop of ['self', 'name', 'parent', 'sender'])
      assert.throws(() => saved[prop], actorsError('logic_error', `ctx.${prop}`), prop);
    const calls = {
      send: () => saved.send(pid, 1),
      reply: () => saved.reply(1),
      request: () => saved.request(pid, 1, () => {}),
      spawn: () => saved.spawn('late', () => 1),
      stop: () => saved.stop(),
      watch: () => saved.watch(pid),
      unwatch: () => saved.unwatch(pid),
      sendAfter: () => saved.sendAfter(1, pid, 1),
      sendRepeat: () => saved.sendRepeat(1, pid, 1),
      publish: () => saved.publish('t', 'd'),
    };
    for (const [name, call] of Object.entries(calls)) assert.throws(call, actorsError('logic_error', `ctx.${name}`), name);
    assert.equal(engine.lookup('late'), null);
    assert.equal(engine.alive(pid), true);
  }));

test("ctx.reply on a plain message (not a request) throws 'logic_error'", () =>
  withEngine(async (engine) => {
    let caught;
    const pid = engine.spawn('confused', (ctx, m) => {
      try { ctx.reply('nobody asked'); } catch (e) { caught = e; }
    });
    engine.send(pid, 'plain');
    engine.runUntilIdle();
    assert.ok(caught instanceof ActorsError);
    assert.equal(caught.code, 'logic_error');
    assert.equal(actorInfo(engine, pid).failures, 0, 'caught inside the handler: no failure');
  }));

test('engine calls from inside a handler act for that actor (engine.send has the actor as sender)', () =>
  withEngine(async (engine) => {
    let sender;
    const sink = engine.spawn('sink', (ctx) => { sender = ctx.sender; });
    const src = engine.spawn('src', () => { engine.send(sink, 'via engine'); });
    engine.send(src, 'go');
    await until(() => sender !== undefined, 'the message');
    assert.equal(sender, src);
  }));

test("engine.shutdown() from inside a handler is refused (the request fails 'handler_failed')", () =>
  withEngine(async (engine) => {
    const pid = engine.spawn('rogue', () => { engine.shutdown(); return 'unreachable'; });
    await assert.rejects(engine.request(pid, null), actorsError('handler_failed', 'shutdown'));
    assert.equal(engine.running, true);
  }));
