// Starts examples/remote/chat_server (the chat-room scenario's server) as a real process on
// 127.0.0.1 for the JS link tests (tests/js) and the browser tests (tests/browser); stopped after
// the test, also when it fails. Not a test file itself.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const chatServerPath = process.env.ACTORS_CHAT_SERVER ??
  fileURLToPath(new URL('../../build/native-debug/examples/example_chat_server', import.meta.url));

/**
 * Resolves with {url, stop, child, exited} once the server prints where it listens.
 * `downAfterMs`: how long a cut link may stay cut before its actors count as gone (short in tests).
 */
export async function startChatServer(t, { token = 's3cret', downAfterMs = 300 } = {}) {
  assert.ok(existsSync(chatServerPath),
    `${chatServerPath} is missing: cmake --build --preset native-debug --target example_chat_server (or set ACTORS_CHAT_SERVER)`);
  const child = spawn(chatServerPath, ['--listen', '127.0.0.1:0', '--token', token, '--down-after-ms', String(downAfterMs)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.stdin.end();  // the server ends when its stdin closes
    const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
    const r = await exited;
    clearTimeout(timer);
    return r;
  };
  t.after(stop);
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the server printed no address in 30 s: ${out}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = /chat (ws:\/\/\S+)/.exec(out);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`the server exited (${code}): ${out}`)); });
  });
  return { url, stop, child, exited };
}
