// The JS benchmark under node: ours (build/wasm/dist) next to XState v5 (bench/js/node_modules,
// installed by scripts/bench.sh). Writes <out>/js-node.json and <out>/js-node.md.
//   node --no-experimental-fetch bench/js/node.mjs [--dist DIR] [--out DIR] [--runs N] [--clock wall|cpu]
// --clock cpu times with this process's CPU time (user + system) instead of the wall clock, for a
// machine shared with other jobs; it writes js-node-cpu.{json,md}.
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAll, table } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const args = { dist: path.join(repo, 'build/wasm/dist'), out: path.join(repo, 'build/bench'), runs: 7, clock: 'wall' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args) || argv[i + 1] === undefined) {
    console.error(`usage: node bench/js/node.mjs [--dist DIR] [--out DIR] [--runs N] [--clock wall|cpu] (got '${argv[i]}')`);
    process.exit(2);
  }
  args[key] = key === 'runs' ? Number(argv[i + 1]) : argv[i + 1];
}

if (args.clock !== 'wall' && args.clock !== 'cpu') {
  console.error(`--clock must be wall or cpu, got '${args.clock}'`);
  process.exit(2);
}
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e3;
};
const { createRuntime } = await import(pathToFileURL(path.resolve(args.dist, 'actors.mjs')).href);
const xstate = await import('xstate');
const runtime = await createRuntime();
const rows = await runAll(
  { createEngine: (o) => runtime.createEngine(o), xstate, now: args.clock === 'cpu' ? cpuMs : undefined },
  { runs: args.runs, log: (r) => console.error(`[js node] ${r.name}: ours ${r.ours.median.toFixed(3)} ${r.unit}${r.xstate ? `, xstate ${r.xstate.median.toFixed(3)}` : ''}`) },
);
const where = `node ${process.version}${args.clock === 'cpu' ? ', CPU time' : ''}`;
const md = table(rows, where);
const name = args.clock === 'cpu' ? 'js-node-cpu' : 'js-node';
const loadavg = os.loadavg();
await mkdir(args.out, { recursive: true });
await writeFile(path.join(args.out, `${name}.json`), JSON.stringify({ where, clock: args.clock, xstate: '5.33.3', loadavg, rows }, null, 2) + '\n');
await writeFile(path.join(args.out, `${name}.md`), `${md}\n\nLoad average at the end (1, 5, 15 min): ${loadavg.map((l) => l.toFixed(2)).join(', ')} on ${os.cpus().length} cores.\n`);
console.log(md);
