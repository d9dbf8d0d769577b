// The interactive demo: the ImGui dashboard compiled into the same module as the JS API, drawn
// into the canvas. It watches one of two engines:
//   - the server's: when a native node serves this page it answers inspector.json with where its
//     inspector is (web/inspector.json, served by a plain static server, says there is none), and
//     the dashboard watches that node's engine over the browser's WebSocket
//     (engine.extension('dashboard.connect')). ?connect=ws://HOST:PORT/inspector&token=T names
//     one explicitly; ?token=T gives the token when the node does not hand it to the page.
//     The header then shows which engine, the connection's state and lag; the node runs its own
//     scenarios, and the dashboard's inspector panel (stop, inject a failure, send, spawn a
//     child) is how the page acts on them.
//   - this tab's engine (?engine=tab, or when nobody serves an inspector): the page creates an
//     engine through the JS API, hands it to the dashboard (dashboard.attach) and drives the demo
//     scenarios with the buttons above the canvas; the numbers in the header come from the plain
//     JS API (engine.counters()), the same ones the dashboard shows.
// One set of controls either way: the dashboard's own demo bar leaves out what the header has.
//
// Everything is on window.demo for exploring from the console:
//   demo.mode, demo.report(); this tab's engine: demo.engine.snapshot(), demo.start('chat-room'),
//   demo.crash(), demo.storm(50000); the server's: demo.status(), demo.crash('<1.5.0>')
import { createRuntime } from './dashboard/actors.mjs';

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
};

// The server this page came from, if it serves an inspector: {url, engine, token?}.
async function serverConfig() {
  try {
    const response = await fetch('inspector.json', { cache: 'no-store' });
    if (!response.ok) return null;
    const config = await response.json();
    if (typeof config?.inspector !== 'string') return null;
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return { url: `${scheme}//${location.host}${config.inspector}`, engine: config.engine ?? 'server', token: config.token };
  } catch {
    return null;
  }
}

// Which engine to watch: {mode: 'remote', url, token} or {mode: 'local'}, and the server if any.
async function chooseSource() {
  const params = new URLSearchParams(location.search);
  const server = params.get('connect')
    ? { url: params.get('connect'), engine: params.get('connect'), token: undefined }
    : await serverConfig();
  if (params.get('engine') !== 'tab' && server)
    return { mode: 'remote', url: server.url, token: params.get('token') ?? server.token ?? '', server };
  return { mode: 'local', server };
}

// The engine picker, shown when there is a choice: the server's engine or this tab's.
function offerSources(source) {
  if (!source.server) return;
  const select = $('source');
  select.add(new Option(`server: ${source.server.engine}`, 'server'));
  select.add(new Option("this tab's engine", 'tab'));
  select.value = source.mode === 'remote' ? 'server' : 'tab';
  select.addEventListener('change', () => {
    const url = new URL(location.href);
    if (select.value === 'tab') url.searchParams.set('engine', 'tab');
    else url.searchParams.delete('engine');
    url.searchParams.delete('scenario');
    location.assign(url);
  });
  $('source-group').hidden = false;
}

async function main() {
  const canvas = $('canvas');
  const source = await chooseSource();
  offerSources(source);
  const runtime = await createRuntime({
    canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
  });
  if (source.mode === 'remote') return watchServer(runtime, source);
  return runLocal(runtime);
}

const guard = (fn) => (...args) => {
  try {
    return fn(...args);
  } catch (e) {
    status(e.message, true);
    throw e;
  }
};

const fmt = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });

// The dashboard watches the server's engine; the header says which, how the link is, and how far
// behind. The scenario picker and buttons belong to this tab's engine: hidden here.
function watchServer(runtime, source) {
  // The extensions are called on an engine of this page; this one runs nothing.
  const engine = runtime.createEngine();
  engine.extension('dashboard.connect', { url: source.url, token: source.token });
  for (const id of ['scenario-group', 'buttons']) $(id).hidden = true;
  $('processed').previousSibling.textContent = 'events ';
  const connection = $('connection');
  connection.hidden = false;

  const demo = {
    runtime,
    engine,
    mode: 'remote',
    status: () => engine.extension('dashboard.status'),
    report: () => engine.extension('dashboard.report'),
    crash: guard((pid) => engine.extension('dashboard.crash', { pid })),
  };
  window.demo = demo;

  let shownResult = '';
  const refresh = () => {
    const s = demo.status();
    if (s.state === 'attached') {
      const lag = s.lagMs >= 0 ? ` · lag ${Math.round(s.lagMs)} ms` : '';
      connection.textContent = `watching ${s.engine} (${s.role}) at ${s.where} · connected${lag}`;
    } else if (s.state === 'refused') {
      connection.textContent = `${s.where} refused this page: ${s.reason}`;
    } else if (s.state === 'connecting') {
      connection.textContent = `connecting to ${s.where}…`;
    } else {
      connection.textContent = `reconnecting to ${s.where}${s.reason ? ` (${s.reason})` : ''}…`;
    }
    connection.className = s.state === 'attached' ? 'attached' : s.state === 'refused' ? 'refused' : 'waiting';
    if (s.state === 'refused') {
      status(`refused: ${s.reason}`, true);
    } else if (s.lastResult && s.lastResult !== shownResult) {
      shownResult = s.lastResult;
      status(s.lastResult, / refused: /.test(s.lastResult));
    } else if (!shownResult) {
      status(s.state === 'attached' ? 'select an actor in the table to stop it, crash it, send to it' : '');
    }
    const r = demo.report();
    $('live').textContent = fmt.format(r.liveActors);
    $('processed').textContent = fmt.format(r.eventsFolded);
    $('restarts').textContent = fmt.format(r.restarts);
    $('dead').textContent = fmt.format(r.deadLetters);
  };
  refresh();
  setInterval(refresh, 250);
  document.body.dataset.ready = 'true';
}

// This tab's engine, driven by the header's controls.
function runLocal(runtime) {
  const engine = runtime.createEngine({
    stats: { enabled: true, intervalMs: 250 },
    health: { enabled: true, mailboxLagMs: 500 },
    eventRingCapacity: 131072,
  });
  engine.extension('dashboard.attach', { pageControls: true });  // the header has the scenario controls

  const scenarios = engine.extension('dashboard.scenarios');
  const select = $('scenario');
  for (const s of scenarios) select.add(new Option(s.title, s.name));

  const describe = (name) => {
    const s = scenarios.find((x) => x.name === name);
    $('about').textContent = s ? s.description : '';
  };
  const start = (name) => {
    const started = engine.extension('dashboard.start', { name });
    select.value = started;
    describe(started);
    const url = new URL(location.href);
    url.searchParams.set('scenario', started);
    history.replaceState(null, '', url);
    status(`running ${started}`);
    return started;
  };
  const demo = {
    runtime,
    engine,
    mode: 'local',
    scenarios,
    start: guard(start),
    spawn: guard(() => engine.extension('dashboard.spawn')),
    crash: guard((pid) => engine.extension('dashboard.crash', pid ? { pid } : null)),
    storm: guard((messages) => engine.extension('dashboard.storm', { messages })),
    report: () => engine.extension('dashboard.report'),
  };
  window.demo = demo;

  select.addEventListener('change', () => demo.start(select.value));
  $('spawn').addEventListener('click', () => { demo.spawn(); status('spawned one more'); });
  $('crash').addEventListener('click', () => {
    const pid = demo.crash();
    status(pid ? `crashed ${pid}: watch its supervisor restart it` : 'nobody to crash in this scenario');
  });
  $('storm').addEventListener('click', () => {
    const n = Number($('storm-size').value);
    if (!Number.isInteger(n) || n < 1 || n > 10_000_000) return status('storm size: a whole number from 1 to 10000000', true);
    status(`storm: ${demo.storm(n)} messages sent`);
  });

  const requested = new URLSearchParams(location.search).get('scenario');
  const first = scenarios.some((s) => s.name === requested) ? requested : scenarios[0].name;
  demo.start(first);
  for (const id of ['scenario', 'spawn', 'crash', 'storm']) $(id).disabled = false;

  setInterval(() => {
    if (!engine.running) return;
    const c = engine.counters();
    $('live').textContent = fmt.format(c.liveActors);
    $('processed').textContent = fmt.format(c.processed);
    $('restarts').textContent = fmt.format(c.restarts);
    $('dead').textContent = fmt.format(c.deadLettered);
  }, 250);
  document.body.dataset.ready = 'true';
}

main().catch((e) => {
  status(`could not start: ${e.message}`, true);
  console.error(e);
});
