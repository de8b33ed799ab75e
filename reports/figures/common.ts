/** Shared bits of the figure scripts: argument parsing, output folder, the parameter header. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { versions } from '../../src/core/version.js';

export interface FigureArgs {
  out: string;
  seed: number;
  [k: string]: string | number | boolean;
}

/** `--key value` / `--flag` pairs after the script name; defaults for the rest. */
export function figureArgs(defaults: Record<string, string | number | boolean>): FigureArgs {
  const a: Record<string, string | number | boolean> = { out: 'figures', seed: 1, ...defaults };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z0-9-]+)(?:=(.*))?$/.exec(argv[i]);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(argv[i])}: use --key value`);
    const key = m[1];
    if (!(key in a)) throw new Error(`unknown option --${key}: allowed ${Object.keys(a).map((k) => `--${k}`).join(', ')}`);
    let v: string | undefined = m[2];
    if (v === undefined && typeof a[key] !== 'boolean') v = argv[++i];
    a[key] = typeof a[key] === 'number' ? Number(v) : typeof a[key] === 'boolean' ? v !== 'false' : String(v);
  }
  return a as FigureArgs;
}

/** The parameter header every result file starts with (config, seed, versions). */
export function headerMarkdown(title: string, command: string, config: Record<string, unknown>, seed: number): string {
  const v = versions();
  return [
    `# ${title}`, '',
    `- command: \`${command}\``,
    `- seed: ${seed}`,
    `- jscc-sim ${v.jsccSim}, commit ${v.commit ?? 'unknown'}, Node ${v.node}; ${Object.entries(v.deps).map(([k, x]) => `${k} ${x}`).join(', ')}`,
    `- config: \`${JSON.stringify(config)}\``,
    `- date: ${new Date().toISOString()}`, '', '',
  ].join('\n');
}

/** Write `name` under the output folder atomically and say where. */
export function writeFigure(outDir: string, name: string, text: string): string {
  mkdirSync(outDir, { recursive: true });
  const p = path.join(outDir, name);
  writeFileSync(`${p}.tmp-${process.pid}`, text);
  renameSync(`${p}.tmp-${process.pid}`, p);
  process.stderr.write(`wrote ${p}\n`);
  return p;
}

export function mdTable(head: string[], rows: (string | number | null | undefined)[][]): string {
  const cell = (x: string | number | null | undefined) => (x === null || x === undefined ? '-' : String(x));
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n') + '\n';
}
