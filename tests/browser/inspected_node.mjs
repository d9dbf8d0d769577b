// Shared by the browser tests (not a test file itself): a real native node process
// (examples/remote/inspected_node.cpp) hosting demo scenarios, its inspector and the demo site on
// one 127.0.0.1 port. Every node started for a test is stopped after it (SIGKILL if SIGTERM is not
// enough), also when the test fails; and a node ends by itself when its stdin closes, so one
// cannot outlive this process either.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import { repoRoot } from './support.mjs';

export const siteRoot = path.join(repoRoot, 'build', 'wasm', 'site');

/** The native example binary: $ACTORS_INSPECTED_NODE, or a native build of it in build/. */
export function nodeBinary() {
  const candidates = [
    process.env.ACTORS_INSPECTED_NODE,
    ...['native-debug', 'native-release', 'native-asan'].map((p) => path.join(repoRoot, 'build', p, 'examples', 'example_inspected_node')),
  ].filter(Boolean);
  const found = candidates.find((c) => existsSync(c));
  assert.ok(found, `no example_inspected_node: build it first (cmake --build --preset native-debug --target example_inspected_node); looked at ${candidates.join(', ')}`);
  assert.ok(existsSync(path.join(siteRoot, 'index.html')), `no demo site in ${siteRoot}: cmake --build --preset wasm --target actors_site`);
  return found;
}

/**
 * Starts a node for test `t`: {page (its http:// URL), inspector (ws://), port, ask(line, prefix),
 * kill(signal), exited}. `args` are example_inspected_node's options beyond --serve-folder.
 */
export async function startNode(t, args, { timeoutMs = 30_000 } = {}) {
  const child = spawn(nodeBinary(), [...args, '--serve-folder', siteRoot], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  t.after(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const waiting = [];  // {prefix, resolve}
  const seen = [];
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    seen.push(line);
    const i = waiting.findIndex((w) => line.startsWith(w.prefix));
    if (i >= 0) waiting.splice(i, 1)[0].resolve(line);
  });
  const lineStarting = (prefix, what) => new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the node printed no '${prefix}' line within ${timeoutMs} ms (${what}); stdout:\n${seen.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
    const done = (line) => { clearTimeout(timer); resolve(line); };
    waiting.push({ prefix, resolve: done });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the node exited (code ${code}, signal ${signal}) before printing '${prefix}'; stderr:\n${stderr}`));
    });
  });

  const pageLine = await lineStarting('page ', 'starting');
  const page = pageLine.slice('page '.length);
  const port = Number(new URL(page).port);
  return {
    page,
    port,
    inspector: `ws://127.0.0.1:${port}/inspector`,
    pid: child.pid,
    /** Writes a request line to the node's stdin and resolves with its answer line. */
    ask: (line, prefix = line.split(' ').slice(0, 2).join(' ')) => {
      const answer = lineStarting(prefix, `asked '${line}'`);
      child.stdin.write(`${line}\n`);
      return answer;
    },
    kill: (signal = 'SIGKILL') => { child.kill(signal); return exited; },
    exited,
  };
}

/** 'info <1.6.0> state=running restarts=1 failures=1' -> {state, restarts, failures}. */
export function parseInfo(line) {
  const m = /state=(\S+) restarts=(\d+) failures=(\d+)/.exec(line);
  assert.ok(m, `not an info line: ${line}`);
  return { state: m[1], restarts: Number(m[2]), failures: Number(m[3]) };
}
