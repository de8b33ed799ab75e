/**
 * `npm run bench [-- area ...]`: runs every bench/<area>.bench.(js|ts) (or the named areas) and
 * writes BENCHMARKS.md with the command, the machine and the medians.
 */
import { readdirSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runBench, type Bench, type BenchResult } from './harness.js';
import { versions } from '../src/core/version.js';

async function main(): Promise<void> {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const wanted = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => /\.bench\.(js|ts)$/.test(f) && !f.endsWith('.d.ts'))
    .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.bench\.(js|ts)$/, '')))
    .sort();
  const sections: { area: string; results: BenchResult[] }[] = [];
  for (const f of files) {
    const area = f.replace(/\.bench\.(js|ts)$/, '');
    const mod = (await import(pathToFileURL(path.join(here, f)).href)) as { benchmarks: Bench[] };
    const results: BenchResult[] = [];
    for (const b of mod.benchmarks) {
      const r = await runBench(b);
      process.stderr.write(`${area}: ${r.name}: ${fmt(r.median)} ${r.unit}\n`);
      results.push(r);
    }
    sections.push({ area, results });
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const v = versions();
  const lines = [
    '# Benchmarks',
    '',
    `Command: \`npm run bench${wanted.length ? ' -- ' + wanted.join(' ') : ''}\`  `,
    `Machine: ${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}, Node ${process.version}  `,
    `Date: ${new Date().toISOString()}  `,
    `jscc-sim ${v.jsccSim}${v.commit ? ' (' + v.commit + ')' : ''}; single-threaded unless the name says otherwise; median of the repeats.`,
    '',
  ];
  for (const s of sections) {
    lines.push(`## ${s.area}`, '', '| benchmark | median | min | max | unit | goal |', '|---|---:|---:|---:|---|---|');
    for (const r of s.results) {
      lines.push(`| ${r.name} | ${fmt(r.median)} | ${fmt(r.min)} | ${fmt(r.max)} | ${r.unit} | ${r.goal ?? ''} |`);
    }
    lines.push('');
  }
  const out = path.resolve(here, wanted.length ? '../BENCHMARKS.partial.md' : '../BENCHMARKS.md');
  const target = out.includes(`${path.sep}dist${path.sep}`) ? out.replace(`${path.sep}dist${path.sep}`, path.sep) : out;
  writeFileSync(target + '.tmp', lines.join('\n'));
  renameSync(target + '.tmp', target);
  process.stderr.write(`wrote ${target}\n`);
}

function fmt(x: number): string {
  return x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toPrecision(3);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e?.stack ?? e}\n`);
  process.exitCode = 1;
});
