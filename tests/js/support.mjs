// Shared helpers for the JavaScript API tests (not a test file itself).
//
// The module under test comes from $ACTORS_DIST when set (either the dist directory or the path of
// actors.mjs itself, relative to the current directory), else from the build tree next to this repo.
import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

function moduleUrl() {
  const dist = process.env.ACTORS_DIST;
  if (!dist) return new URL('../../build/wasm/dist/actors.mjs', import.meta.url).href;
  const file = /\.m?js$/.test(dist) ? dist : path.join(dist, 'actors.mjs');
  return pathToFileURL(path.resolve(file)).href;
}

export const api = await import(moduleUrl());
export const { createRuntime, ActorsError, toJson } = api;
export const runtime = await createRuntime();

/** Runs `fn(engine)` with a fresh engine that is always shut down afterwards. */
export async function withEngine(options, fn) {
  if (typeof options === 'function') [options, fn] = [undefined, options];
  const engine = runtime.createEngine(options);
  try {
    return await fn(engine);
  } finally {
    engine.shutdown();
  }
}

/** Lets queued microtasks (event delivery) and one macrotask turn run. */
export const turn = () => new Promise((resolve) => setImmediate(resolve));

/** Waits (in event-loop turns, not wall-clock budgets) until `predicate()` is truthy. */
export async function until(predicate, what = 'condition') {
  for (let i = 0; i < 100000; i++) {
    const v = predicate();
    if (v) return v;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** A matcher for assert.throws/rejects: an ActorsError with this code (and optionally message). */
export function actorsError(code, message) {
  return (e) => {
    if (!(e instanceof ActorsError)) throw new Error(`expected an ActorsError(${code}), got ${e?.name}: ${e?.message}`);
    if (e.code !== code) throw new Error(`expected code '${code}', got '${e.code}': ${e.message}`);
    if (message && !(message instanceof RegExp ? message.test(e.message) : e.message.includes(message)))
      throw new Error(`message '${e.message}' does not match ${message}`);
    return true;
  };
}

/** sent == processed + deadLettered + dropped: every message is accounted for once idle. */
export function conserved(c) {
  return c.inFlight === 0 && c.sent === c.processed + c.deadLettered + c.dropped;
}

/** The snapshot entry of an actor, whatever generation (restart count) its pid is at now. */
export function actorInfo(engine, pid) {
  const base = (p) => p.slice(0, p.lastIndexOf('.'));
  return engine.snapshot().actors.find((a) => base(a.pid) === base(pid));
}

/** assert.throws for a TypeError whose message contains every given fragment. */
export function throwsType(fn, ...fragments) {
  assert.throws(fn, (e) => {
    assert.ok(e instanceof TypeError, `expected a TypeError, got ${e?.name}: ${e?.message}`);
    for (const f of fragments) assert.ok(e.message.includes(f), `'${e.message}' should mention '${f}'`);
    return true;
  });
}

/** The check each misuse test ends with: the engine still answers a request. */
export async function stillWorks(engine) {
  const pid = engine.spawn('', (ctx, m) => m);
  assert.equal(await engine.request(pid, 'alive?'), 'alive?');
}
