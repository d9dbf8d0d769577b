// The JS benchmark's workloads, each done by our JS actors (the wasm engine through actors.mjs)
// and by XState v5 doing the same work. Runs under node and in a browser: both sides come in as
// arguments, nothing here imports a file.
//
// XState has no request/reply and no mailbox of its own between a send and the handler: its
// send() runs the transition at once. So "until processed" is when our handlers have counted
// every message (the engine runs them in its next turn), and for XState when send() returned;
// a "request" there is a promise resolved by the receiver's transition, which is how an XState
// user asks an actor for an answer.

// Each returns {value, unit} for one run; `higher` says which way is better.
// `now` (ms) is the clock: wall time by default; node.mjs can pass this process's CPU time, which
// leaves out the time other processes on a shared machine take (every workload here keeps the
// one JS thread busy from start to end, so on a quiet machine the two agree).
export function workloads({ createEngine, xstate, now = () => performance.now() }) {
  const { createActor, fromTransition } = xstate;
  const counting = (target, done) => fromTransition((n) => { if (++n === target) done(); return n; }, 0);

  return [
    {
      name: 'one_to_one',
      what: 'one -> one, 200,000 sends until processed',
      unit: 'M msg/s',
      higher: true,
      n: 200_000,
      async ours(n) {
        const engine = createEngine();
        try {
          let count = 0;
          let done;
          const finished = new Promise((r) => { done = r; });
          const sink = engine.spawn('sink', () => { if (++count === n) done(); }, { mailboxCapacity: n });
          const t0 = now();
          for (let i = 0; i < n; i++) engine.send(sink, i);
          await finished;
          return n / (now() - t0) / 1e3;
        } finally {
          engine.shutdown();
        }
      },
      async xstate(n) {
        let finished = false;
        const sink = createActor(counting(n, () => { finished = true; })).start();
        const t0 = now();
        for (let i = 0; i < n; i++) sink.send({ type: 'n', i });
        const ms = now() - t0;
        if (!finished) throw new Error('xstate: not every message was processed');
        sink.stop();
        return n / ms / 1e3;
      },
    },
    {
      name: 'request',
      what: 'one request -> reply at a time (round trip), 10,000 in a row',
      unit: 'us',
      higher: false,
      n: 10_000,
      async ours(n) {
        const engine = createEngine();
        try {
          const echo = engine.spawn('echo', (ctx, m) => m + 1);
          const t0 = now();
          for (let i = 0; i < n; i++) if ((await engine.request(echo, i)) !== i + 1) throw new Error('wrong reply');
          return ((now() - t0) * 1e3) / n;
        } finally {
          engine.shutdown();
        }
      },
      async xstate(n) {
        const echo = createActor(fromTransition((s, e) => { if (e.type === 'ask') e.resolve(e.i + 1); return s; }, 0)).start();
        const t0 = now();
        for (let i = 0; i < n; i++) {
          const r = await new Promise((resolve) => echo.send({ type: 'ask', i, resolve }));
          if (r !== i + 1) throw new Error('wrong reply');
        }
        const us = ((now() - t0) * 1e3) / n;
        echo.stop();
        return us;
      },
    },
    {
      name: 'spawn',
      what: 'spawn 20,000 actors (all kept alive)',
      unit: 'M actors/s',
      higher: true,
      n: 20_000,
      async ours(n) {
        const engine = createEngine({ mailboxCapacity: 64 });
        try {
          const behaviour = (ctx, m) => m;
          const t0 = now();
          for (let i = 0; i < n; i++) engine.spawn('', behaviour);
          // Started, not only registered: the engine runs every started() before this resolves.
          await engine.request(engine.spawn('', behaviour), 0);
          return n / (now() - t0) / 1e3;
        } finally {
          engine.shutdown();
        }
      },
      async xstate(n) {
        const logic = fromTransition((s) => s, 0);
        const actors = new Array(n);
        const t0 = now();
        for (let i = 0; i < n; i++) actors[i] = createActor(logic).start();
        const rate = n / (now() - t0) / 1e3;
        for (const a of actors) a.stop();
        return rate;
      },
    },
    {
      name: 'fan_out',
      what: 'fan-out: 100 rounds of one message to each of 1,000 actors, until processed',
      unit: 'M msg/s',
      higher: true,
      n: 1_000,
      rounds: 100,
      async ours(n) {
        const rounds = this.rounds;
        const engine = createEngine();
        try {
          let count = 0;
          let done;
          const finished = new Promise((r) => { done = r; });
          const total = n * rounds;
          const behaviour = () => { if (++count === total) done(); };
          const pids = [];
          for (let i = 0; i < n; i++) pids.push(engine.spawn('', behaviour, { mailboxCapacity: rounds }));
          await engine.request(engine.spawn('', (ctx, m) => m), 0);  // all started
          const t0 = now();
          for (let r = 0; r < rounds; r++) for (const p of pids) engine.send(p, r);
          await finished;
          return total / (now() - t0) / 1e3;
        } finally {
          engine.shutdown();
        }
      },
      async xstate(n) {
        const rounds = this.rounds;
        let count = 0;
        const total = n * rounds;
        const logic = fromTransition((s) => { ++count; return s + 1; }, 0);
        const actors = [];
        for (let i = 0; i < n; i++) actors.push(createActor(logic).start());
        const t0 = now();
        for (let r = 0; r < rounds; r++) for (const a of actors) a.send({ type: 'n', r });
        const ms = now() - t0;
        if (count !== total) throw new Error('xstate: not every message was processed');
        for (const a of actors) a.stop();
        return total / ms / 1e3;
      },
    },
    {
      name: 'js_to_cpp',
      what: 'JS -> a C++ counter actor (spawnNative), 200,000 sends until counted',
      unit: 'M msg/s',
      higher: true,
      n: 200_000,
      async ours(n) {
        const engine = createEngine();
        try {
          const counter = engine.spawnNative('counter', 'counter', { mailboxCapacity: n + 1 });
          const t0 = now();
          for (let i = 0; i < n; i++) engine.send(counter, { add: 1 });
          const total = await engine.request(counter, 'get');
          const rate = n / (now() - t0) / 1e3;
          if (total !== n) throw new Error(`the counter counted ${total} of ${n}`);
          return rate;
        } finally {
          engine.shutdown();
        }
      },
      xstate: null,  // XState has no C++ side
    },
  ];
}

export function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values.length };
}

// Runs every workload `runs` times after one warm-up run (the JIT's first pass is not what a
// page that keeps running sees), alternating ours and XState's so that neither gets a quieter
// machine. Returns one row per workload.
export async function runAll(env, { runs = 7, log = () => {} } = {}) {
  const rows = [];
  for (const w of workloads(env)) {
    const sides = { ours: [], xstate: [] };
    for (let r = -1; r < runs; r++) {
      for (const side of ['ours', 'xstate']) {
        if (!w[side]) continue;
        const v = await w[side].call(w, w.n);
        if (r >= 0) sides[side].push(v);
      }
    }
    const row = { name: w.name, what: w.what, unit: w.unit, higher: w.higher, ours: summary(sides.ours) };
    if (sides.xstate.length) {
      row.xstate = summary(sides.xstate);
      row.ratio = w.higher ? row.ours.median / row.xstate.median : row.xstate.median / row.ours.median;
    }
    log(row);
    rows.push(row);
  }
  return rows;
}

const fmt = (v) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v >= 0.1 ? v.toFixed(2) : v.toFixed(3));
const cell = (s) => (s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '—');

/** A markdown table: medians with min–max, and ours ÷ XState (above 1: ours is better). */
export function table(rows, where) {
  const lines = [
    `| work (${where}) | unit | ours | XState v5 | ours vs XState |`,
    '|---|---|---|---|---|',
  ];
  for (const r of rows) lines.push(`| ${r.what} | ${r.unit} | ${cell(r.ours)} | ${cell(r.xstate)} | ${r.ratio ? `${r.ratio.toFixed(2)}×` : '—'} |`);
  return lines.join('\n');
}
