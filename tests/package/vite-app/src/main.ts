// A Vite app using @actors/runtime as an npm user would: the import below is resolved from
// node_modules, and Vite copies actors_wasm.wasm into the build because the module names it with
// new URL('./actors_wasm.wasm', import.meta.url). scripts/package_test.sh type-checks this file
// against actors.d.ts (tsc --noEmit), builds it (vite build) and waits in Chromium for #answer.
import {
  ActorsError,
  createRuntime,
  toJson,
  type ActorEvent,
  type Behaviour,
  type Context,
  type Counters,
  type Engine,
  type ErrorCode,
  type Json,
  type Notification,
  type Pid,
  type SendStatus,
} from '@actors/runtime';

/** The greeter's requests: a type alias (not an interface) so it is assignable to Json. */
type Greeting = { name: string; times?: number };

function isGreeting(msg: Json | Notification): msg is Greeting {
  return typeof msg === 'object' && msg !== null && !Array.isArray(msg) && !('$type' in msg) &&
    typeof msg.name === 'string';
}

const greeter: Behaviour = {
  started(ctx: Context) {
    ctx.publish('greeter.started', { self: ctx.self });
  },
  receive(ctx, msg) {
    if (!isGreeting(msg)) throw new Error(`greeter: unexpected message ${JSON.stringify(msg)}`);
    const greeting: string = `hello ${msg.name}`.repeat(msg.times ?? 1);
    ctx.reply(greeting);
  },
};

// Never called: these lines must not compile, which proves tsc checks against actors.d.ts (an
// unused @ts-expect-error is itself an error) rather than seeing the module as `any`.
export function typeErrors(engine: Engine, pid: Pid): void {
  // @ts-expect-error messages are JSON values; undefined is not one
  engine.send(pid, undefined);
  // @ts-expect-error 'drop_everything' is not an overflow policy
  engine.spawn('x', greeter, { overflow: 'drop_everything' });
  // @ts-expect-error request resolves to Json, not a number
  const n: Promise<number> = engine.request(pid, 'how many?');
  void n;
}

function show(id: string, text: string): void {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing from the page`);
  el.textContent = text;
}

async function main(): Promise<void> {
  const runtime = await createRuntime();
  const engine: Engine = runtime.createEngine({ tickBudgetMs: 4, requestTimeoutMs: 5000 });
  const spawned: ActorEvent[] = [];
  const unsubscribe = engine.subscribe((event) => {
    if (event.kind === 'spawned') spawned.push(event);   // narrowed: event.name is a string here
  });

  const pid: Pid = engine.spawn('greeter', greeter, { mailboxCapacity: 64, overflow: 'drop_newest' });
  const request: Greeting = { name: 'vite' };
  const answer: Json = await engine.request(pid, request, { timeoutMs: 5000 });
  if (typeof answer !== 'string') throw new Error(`greeter answered ${toJson(answer, 'answer')}, not a string`);

  // A request to a stopped actor fails with a typed code.
  const echo = engine.spawn('echo', (_ctx, msg) => msg as Json);
  engine.stop(echo);
  await engine.watch(echo);
  let code: ErrorCode | null = null;
  try {
    await engine.request(echo, 'anyone?', { timeoutMs: 1000 });
  } catch (e) {
    if (!(e instanceof ActorsError)) throw e;
    code = e.code;
  }
  const status: SendStatus = engine.send(echo, null);
  const counters: Counters = engine.counters();

  unsubscribe();
  show('spawned', String(counters.spawned));
  show('answer', answer);
  document.body.dataset.codes = `${code ?? 'none'} ${status} ${spawned.length}`;
  engine.shutdown();
}

main().catch((e: unknown) => {
  show('answer', `failed: ${e instanceof Error ? e.message : String(e)}`);
  throw e;
});
