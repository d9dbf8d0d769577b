// The module in a user's node program (issue 16): Emscripten's default process handlers are off
// (-sNODEJS_CATCH_REJECTION=0 -sNODEJS_CATCH_EXIT=0). A rejection nobody caught is node's usual
// report, not a dump of the whole minified module; a program's own handler sees the ActorsError;
// and the module does not take over the process's exit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

// The same module support.mjs loads (ACTORS_DIST, else the build tree), by its file URL.
const moduleUrl = new URL(moduleHref());
function moduleHref() {
  const dist = process.env.ACTORS_DIST;
  if (!dist) return new URL('../../build/wasm/dist/actors.mjs', import.meta.url).href;
  const file = /\.m?js$/.test(dist) ? dist : path.join(dist, 'actors.mjs');
  return pathToFileURL(path.resolve(file)).href;
}
// The generated module's factory name appears in its source, never in node's report of an error.
const moduleSource = readFileSync(fileURLToPath(new URL('./actors_wasm.mjs', moduleUrl)), 'utf8');

function runProgram(body) {
  const program = `import { createRuntime } from ${JSON.stringify(moduleUrl.href)};
const engine = (await createRuntime()).createEngine({ requestTimeoutMs: 50 });
${body}`;
  return spawnSync(process.execPath, ['--no-experimental-fetch', '--input-type=module', '-e', program],
    { encoding: 'utf8', timeout: 60000 });
}

function assertNoModuleSource(output) {
  assert.ok(output.length < 20000, `the program printed ${output.length} characters`);
  assert.ok(!output.includes('createActorsWasm'), 'the output holds the module source');
}

test('a rejected request nobody catches is reported by node as usual, without the module source', () => {
  const r = runProgram(`engine.request('<1.999999.0>', 'anyone?');`);
  assert.ok(moduleSource.includes('createActorsWasm'));
  assert.notEqual(r.status, 0, 'an unhandled rejection still ends the program (node\'s default)');
  assert.match(r.stderr, /ActorsError/);
  assertNoModuleSource(r.stdout + r.stderr);
});

test('a program\'s own unhandledRejection handler gets the ActorsError and the program goes on', () => {
  const r = runProgram(`process.on('unhandledRejection', (e) => {
  console.log('handled', e.name, e.code);
  engine.shutdown();
});
engine.request('<1.999999.0>', 'anyone?');`);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^handled ActorsError no_such_actor$/m);
  assertNoModuleSource(r.stdout + r.stderr);
});

test('an exception a program throws is node\'s report, and process.exitCode is the program\'s', () => {
  const thrown = runProgram(`setTimeout(() => { throw new Error('user bug'); }, 0);`);
  assert.notEqual(thrown.status, 0);
  assert.match(thrown.stderr, /user bug/);
  assertNoModuleSource(thrown.stdout + thrown.stderr);

  const exited = runProgram(`engine.shutdown(); process.exitCode = 7;`);
  assert.equal(exited.status, 7, exited.stderr);
});
