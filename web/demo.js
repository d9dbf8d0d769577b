// The interactive demo: the page creates an engine through the JS API, hands it to the ImGui
// dashboard compiled into the same module (engine.extension('dashboard.attach')), and drives the
// demo scenarios with the buttons above the canvas. The numbers in the header are read through
// the plain JS API (engine.counters()), the same ones the dashboard shows.
//
// Everything is on window.demo for exploring from the console:
//   demo.engine.snapshot(), demo.start('chat-room'), demo.crash(), demo.storm(50000)
import { createRuntime } from '/dashboard/actors.mjs';

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
};

async function main() {
  const canvas = $('canvas');
  const runtime = await createRuntime({
    canvas,
    print: (text) => console.log(text),
    printErr: (text) => console.warn(text),
  });
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
  const guard = (fn) => (...args) => {
    try {
      return fn(...args);
    } catch (e) {
      status(e.message, true);
      throw e;
    }
  };
  const demo = {
    runtime,
    engine,
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

  const fmt = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
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
