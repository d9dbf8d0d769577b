// scripts/serve.mjs: the static server the browser test and scripts/embed.sh use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtemp, writeFile, rm } from 'node:fs/promises';
import os from 'node:os';
import { startServer } from '../../scripts/serve.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** GET with the path sent exactly as given (no URL normalisation of '..'). */
function get(base, rawPath, method = 'GET') {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ hostname, port, path: rawPath, method }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, type: res.headers['content-type'], headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('serves web/ at /, the dist directory at /actors/ and the dashboard at /dashboard/ with the right MIME types', async (t) => {
  const dist = await mkdtemp(path.join(os.tmpdir(), 'actors-dist-'));
  const dashboard = await mkdtemp(path.join(os.tmpdir(), 'actors-dashboard-'));
  await writeFile(path.join(dashboard, 'actors.mjs'), 'export const dashboard = 1;\n');
  await writeFile(path.join(dist, 'actors.mjs'), 'export const x = 1;\n');
  await writeFile(path.join(dist, 'actors_wasm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  await writeFile(path.join(dist, 'package.json'), '{}');
  await writeFile(path.join(dist, 'notes.txt'), 'not served');
  const server = await startServer({ port: 0, dist, dashboard });
  t.after(async () => {
    await server.close();
    await rm(dist, { recursive: true, force: true });
    await rm(dashboard, { recursive: true, force: true });
  });

  assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const cases = [
    ['/embed.html', 200, 'text/html'],
    ['/embed.js', 200, 'text/javascript'],
    ['/actors/actors.mjs', 200, 'text/javascript'],
    ['/actors/actors_wasm.wasm', 200, 'application/wasm'],
    ['/actors/package.json', 200, 'application/json'],
    ['/embed.html?cache=bust', 200, 'text/html'],
    ['/index.html', 200, 'text/html'],
    ['/demo.js', 200, 'text/javascript'],
    ['/dashboard/actors.mjs', 200, 'text/javascript'],
  ];
  for (const [p, status, type] of cases) {
    const r = await get(server.url, p);
    assert.equal(r.status, status, p);
    assert.ok(r.type.startsWith(type), `${p}: ${r.type}`);
  }
  const wasm = await get(server.url, '/actors/actors_wasm.wasm');
  assert.deepEqual([...wasm.body.subarray(0, 4)], [0, 0x61, 0x73, 0x6d]);
  const head = await get(server.url, '/embed.html', 'HEAD');
  assert.equal(head.status, 200);
  assert.equal(head.body.length, 0);
  // the root is the interactive demo (web/index.html)
  const root = await get(server.url, '/');
  assert.equal(root.status, 200);
  assert.ok(root.type.startsWith('text/html'));
  assert.match(root.body.toString(), /live dashboard/);
});

test('404 for missing files, unknown types, directories and any path with ..', async (t) => {
  const server = await startServer({ port: 0 });
  t.after(() => server.close());
  for (const p of [
    '/missing.html', '/actors/missing.mjs', '/actors/', '/actors', '/web/embed.html', '/favicon.ico',
    '/actors/actors.d.ts', '/../CMakeLists.txt', '/actors/../../CMakeLists.txt', '/actors/..%2F..%2Fpackage.json',
    '/%2e%2e/package.json', '/actors/%2E%2E/%2E%2E/package.json', '/..', '/embed.html/..', '/%ZZ.html',
  ]) {
    const r = await get(server.url, p);
    assert.equal(r.status, 404, p);
  }
  const post = await get(server.url, '/embed.html', 'POST');
  assert.equal(post.status, 405);
});

test('listens on 127.0.0.1 only', async (t) => {
  const server = await startServer({ port: 0 });
  t.after(() => server.close());
  assert.equal(new URL(server.url).hostname, '127.0.0.1');
});

test("the command line: --port 0 picks a free port and prints 'serving http://127.0.0.1:PORT/'", async (t) => {
  const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'serve.mjs'), '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => child.kill());
  const line = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => { out += d; if (out.includes('\n')) resolve(out.split('\n')[0]); });
    child.on('exit', (code) => reject(new Error(`serve.mjs exited with ${code}`)));
  });
  const m = line.match(/^serving (http:\/\/127\.0\.0\.1:(\d+)\/)$/);
  assert.ok(m, `unexpected first line: '${line}'`);
  assert.notEqual(Number(m[2]), 0);
  const r = await get(m[1], '/embed.html');
  assert.equal(r.status, 200);
});

test('the command line refuses unknown arguments and bad ports', async () => {
  for (const args of [['--bogus'], ['--port', 'x'], ['--port', '70000'], ['--port']]) {
    const child = spawn(process.execPath, [path.join(repoRoot, 'scripts', 'serve.mjs'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    const code = await new Promise((resolve) => child.on('exit', resolve));
    assert.equal(code, 2, `${args.join(' ')}: exit code`);
    assert.match(err, /usage: node scripts\/serve\.mjs/);
  }
});
