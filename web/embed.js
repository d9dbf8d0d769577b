// The embedding example: everything here uses only the public API of actors.mjs.
import { createRuntime } from './actors/actors.mjs';

const $ = (id) => document.getElementById(id);
const ui = {
  name: $('name'), send: $('send'), crash: $('crash'), stop: $('stop'),
  reply: $('reply'), counters: $('counters'), status: $('status'), events: $('events'),
};
const MAX_EVENTS = 300;

const runtime = await createRuntime();
const engine = runtime.createEngine();

// --- events, live ----------------------------------------------------------------------------
const names = new Map();  // "<node.id" (any generation) -> actor name
const base = (pid) => (pid ? pid.slice(0, pid.lastIndexOf('.')) : pid);
const who = (pid) => (pid ? `${names.get(base(pid)) || 'anonymous'} ${pid}` : '-');

function describe(e) {
  switch (e.kind) {
    case 'spawned': return `${who(e.pid)}${e.parent ? ` (child of ${who(e.parent)})` : ''}`;
    case 'started': return who(e.pid);
    case 'stopped': return `${who(e.pid)} reason=${e.reason}${e.detail ? ` (${e.detail})` : ''}`;
    case 'failed': return `${who(e.pid)} error="${e.error}"`;
    case 'restarted': return `${who(e.pid)} restarts=${e.restarts} delay=${e.delayMs}ms`;
    case 'dead_letter': return `to ${who(e.target)} reason=${e.reason} type=${e.messageType}`;
    case 'custom': return `${who(e.source)} topic=${e.topic} data=${e.data}`;
    default: {
      const { seq, timeMs, kind, ...rest } = e;
      return JSON.stringify(rest);
    }
  }
}

function showEvent(e) {
  if (e.kind === 'spawned') names.set(base(e.pid), e.name);
  const li = document.createElement('li');
  li.className = e.kind;
  li.dataset.kind = e.kind;
  for (const [cls, text] of [['seq', `#${e.seq}`], ['kind', e.kind], ['detail', describe(e)]]) {
    const span = document.createElement('span');
    span.className = cls;
    span.textContent = text;
    li.append(span);
  }
  ui.events.append(li);
  while (ui.events.children.length > MAX_EVENTS) ui.events.firstElementChild.remove();
  ui.events.scrollTop = ui.events.scrollHeight;
  scheduleCounters();
}

// --- counters, refreshed at most once per task -------------------------------------------------
let countersQueued = false;
function scheduleCounters() {
  if (countersQueued) return;
  countersQueued = true;
  setTimeout(() => {
    countersQueued = false;
    showCounters();
  }, 0);
}
function showCounters() {
  if (!engine.running) return;  // a shut-down engine has no counters to read
  const c = engine.counters();
  ui.counters.textContent = [
    `sent ${c.sent}`, `processed ${c.processed}`, `dead letters ${c.deadLettered}`, `dropped ${c.dropped}`,
    `in flight ${c.inFlight}`, `restarts ${c.restarts}`, `failures ${c.failures}`, `live actors ${c.liveActors}`,
  ].join(' · ');
}

engine.subscribe(showEvent);

// --- the actors ----------------------------------------------------------------------------------
const greeter = engine.spawn('greeter', {
  greeted: 0,
  receive(ctx, msg) {
    this.greeted += 1;
    return `hello ${msg.name}, from ${ctx.name} (greeting #${this.greeted})`;
  },
});

const counter = engine.spawnNative('counter', 'counter');

const crashy = engine.spawn('crashy', {
  started(ctx) { ctx.publish('crashy', 'ready'); },
  receive(ctx, msg) {
    if (msg === 'crash') throw new Error('crash button pressed');
    return 'still here';
  },
});

// --- buttons -------------------------------------------------------------------------------------
const buttons = [ui.send, ui.crash, ui.stop];

function report(error) {
  ui.reply.textContent = `error: ${error.code ? `[${error.code}] ` : ''}${error.message}`;
}

async function greetAndCount(name) {
  engine.send(counter, { add: 1 });
  const [greeting, total] = await Promise.all([engine.request(greeter, { name }), engine.request(counter, 'get')]);
  ui.reply.textContent = `${greeting} · counter total ${total}`;
}

ui.send.addEventListener('click', () => {
  greetAndCount(ui.name.value.trim() || 'anonymous').catch(report);
});

ui.crash.addEventListener('click', () => {
  engine.send(crashy, 'crash');  // the root supervisor restarts it: watch for 'failed' then 'restarted'
  ui.reply.textContent = 'crashy was told to crash';
});

ui.stop.addEventListener('click', () => {
  showCounters();  // the last reading: nothing can be read after shutdown
  engine.shutdown();  // graceful: every actor stops, and their 'stopped' events arrive
  for (const b of buttons) b.disabled = true;
  ui.status.textContent = '(engine stopped)';
  ui.reply.textContent = 'the engine is shut down';
});

// --- go ------------------------------------------------------------------------------------------
try {
  await greetAndCount(ui.name.value);
  await engine.request(crashy, 'are you there?');
  await new Promise((resolve) => setTimeout(resolve, 0));  // let the events of that work arrive
  showCounters();
  for (const b of buttons) b.disabled = false;
  document.body.dataset.ready = 'true';
} catch (e) {
  report(e);
  console.error('embed: the actors did not start', e);
}
