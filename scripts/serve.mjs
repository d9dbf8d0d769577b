#!/usr/bin/env node
// A tiny static file server for the demo and the embedding example, on 127.0.0.1 only (no
// dependencies).
//
//   node scripts/serve.mjs [--port N] [--dist DIR] [--dashboard DIR]
//
// Serves web/ at /, the WebAssembly build's runtime module (default build/wasm/dist) at
// /actors/ and its dashboard module (default build/wasm/web) at /dashboard/. --port 0 picks a
// free port. Also usable from tests:
//
//   import { startServer } from './scripts/serve.mjs';
//   const { url, close } = await startServer({ port: 0 });
import http from 'node:http';
import path from 'node:path';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const webRoot = path.join(repoRoot, 'web');
const defaultDist = path.join(repoRoot, 'build', 'wasm', 'dist');
const defaultDashboard = path.join(repoRoot, 'build', 'wasm', 'web');

const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** Maps a URL path to a file, or null: only known types, inside web/ or dist/, no '..'. */
function resolveFile(urlPath, dist, dashboard) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('..') || decoded.includes('\\') || decoded.includes('\0')) return null;
  if (decoded.endsWith('/')) decoded += 'index.html';
  let root = webRoot;
  let rel = decoded;
  if (decoded.startsWith('/actors/')) {
    root = dist;
    rel = decoded.slice('/actors'.length);
  } else if (decoded.startsWith('/dashboard/')) {
    root = dashboard;
    rel = decoded.slice('/dashboard'.length);
  }
  if (!MIME[path.extname(rel).toLowerCase()]) return null;
  const file = path.join(root, rel);
  if (!file.startsWith(root + path.sep)) return null;
  return file;
}

function send(res, status, type, body, head = false) {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(head ? undefined : body);
}

/** Starts the server; resolves with {url, port, close()} once it is listening. */
export function startServer({ port = 8080, dist = defaultDist, dashboard = defaultDashboard } = {}) {
  const distRoot = path.resolve(dist);
  const dashboardRoot = path.resolve(dashboard);
  const server = http.createServer(async (req, res) => {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) return send(res, 405, 'text/plain; charset=utf-8', 'method not allowed\n');
    const urlPath = (req.url ?? '/').split(/[?#]/, 1)[0];
    const file = resolveFile(urlPath, distRoot, dashboardRoot);
    const notFound = () => send(res, 404, 'text/plain; charset=utf-8', `not found: ${urlPath}\n`, head);
    if (!file) return notFound();
    try {
      if (!(await stat(file).catch(() => null))?.isFile()) return notFound();
      const body = await readFile(file);
      send(res, 200, MIME[path.extname(file).toLowerCase()], body, head);
    } catch {
      notFound();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      const actual = server.address().port;
      resolve({
        url: `http://127.0.0.1:${actual}/`,
        port: actual,
        close: () =>
          new Promise((done) => {
            server.close(() => done());
            server.closeAllConnections?.();
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const out = { port: 8080, dist: defaultDist, dashboard: defaultDashboard };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [key, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (key === '--port') {
      const v = value();
      const n = Number(v);
      if (v === undefined || !Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`--port needs a number from 0 to 65535, got '${v}'`);
      out.port = n;
    } else if (key === '--dist') {
      const v = value();
      if (!v) throw new Error('--dist needs a directory');
      out.dist = path.resolve(v);
    } else if (key === '--dashboard') {
      const v = value();
      if (!v) throw new Error('--dashboard needs a directory');
      out.dashboard = path.resolve(v);
    } else if (key === '--help' || key === '-h') {
      out.help = true;
    } else {
      throw new Error(`unknown argument '${arg}'`);
    }
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`serve.mjs: ${e.message}\nusage: node scripts/serve.mjs [--port N] [--dist DIR] [--dashboard DIR]`);
    process.exit(2);
  }
  if (args.help) {
    console.log('usage: node scripts/serve.mjs [--port N] [--dist DIR] [--dashboard DIR]');
    process.exit(0);
  }
  const { url, close } = await startServer(args);
  console.log(`serving ${url}`);
  const stop = () => close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
