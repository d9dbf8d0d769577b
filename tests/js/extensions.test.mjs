// engine.extension(): C++ extensions compiled into a module. The plain runtime module has none,
// so these check the plumbing and its errors; the dashboard module's extensions are tested by
// the browser tests.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withEngine, actorsError, runtime } from './support.mjs';

test('the plain runtime module lists no extensions', () =>
  withEngine((engine) => assert.deepEqual(engine.extensionNames(), [])));

test('an unknown extension is an invalid_argument error that says the module has none', () =>
  withEngine((engine) =>
    assert.throws(() => engine.extension('dashboard.attach'), actorsError('invalid_argument', "no extension 'dashboard.attach' in this module (it has none)"))));

test('extension name and args are checked before reaching C++', () =>
  withEngine((engine) => {
    assert.throws(() => engine.extension(42), TypeError);
    assert.throws(() => engine.extension('x', { f: () => 1 }), /extension args\.f is a function/);
  }));

test('extension() on a shut-down engine is engine_stopped', () => {
  const engine = runtime.createEngine();
  engine.shutdown();
  assert.throws(() => engine.extension('x'), actorsError('engine_stopped'));
});
