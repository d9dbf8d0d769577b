// The JS benchmark under node: ours (build/wasm/dist) next to XState v5 (bench/js/node_modules,
// installed by scripts/bench.sh). Writes <out>/js-node.json and <out>/js-node.md.
//   node --no-experimental-fetch bench/js/node.mjs [--dist DIR] [--out DIR] [--runs N]
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runAll, table } from './workloads.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const args = { dist: path.join(repo, 'build/wasm/dist'), out: path.join(repo, 'build/bench'), runs: 7 };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) {
  const key = argv[i].replace(/^--/, '');
  if (!(key in args) || argv[i + 1] === undefined) {
    console.error(`usage: node bench/js/node.mjs [--dist DIR] [--out DIR] [--runs N] (got '${argv[i]}')`);
    process.exit(2);
  }
  args[key] = key === 'runs' ? Number(argv[i + 1]) : argv[i + 1];
}

const { createRuntime } = await import(pathToFileURL(path.resolve(args.dist, 'actors.mjs')).href);
const xstate = await import('xstate');
const runtime = await createRuntime();
const rows = await runAll(
  { createEngine: (o) => runtime.createEngine(o), xstate },
  { runs: args.runs, log: (r) => console.error(`[js node] ${r.name}: ours ${r.ours.median.toFixed(3)} ${r.unit}${r.xstate ? `, xstate ${r.xstate.median.toFixed(3)}` : ''}`) },
);
const md = table(rows, `node ${process.version}`);
await mkdir(args.out, { recursive: true });
await writeFile(path.join(args.out, 'js-node.json'), JSON.stringify({ where: `node ${process.version}`, xstate: '5.33.3', rows }, null, 2) + '\n');
await writeFile(path.join(args.out, 'js-node.md'), md + '\n');
console.log(md);
