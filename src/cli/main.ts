/**
 * jscc-sim command line (docs/architecture.md, "Command line" and "Failure semantics"). Exit
 * codes: 0 success, 2 bad usage (one line on stderr naming the bad value and what is allowed), 1 a
 * failed run.
 */
import yargs from 'yargs';
import { UsageError } from '../core/errors.js';
import { commands } from './commands/index.js';

/**
 * yargs reads a value that starts with '-' (e.g. `--snr -5..20`, `--snr -2,0,2`) as a flag, and only
 * plain negative numbers as values. No flag starts with '-' and a digit, so such a token after a
 * `--option` without '=' is glued to it (`--snr=-5..20`).
 */
export function joinNegativeValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (/^--[^=]+$/.test(a) && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else {
      out.push(a);
    }
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  let usageFailure: string | undefined;
  const args = joinNegativeValues(argv);
  // Load only the command named (all of them for help or an unknown name).
  const named = commands.find((c) => c.name === args.find((a) => !a.startsWith('-')));
  let modules;
  try {
    modules = await Promise.all((named ? [named] : commands).map((c) => c.load()));
  } catch (err) {
    return reportError(err);
  }
  const y = yargs(args)
    .scriptName('jscc-sim')
    .strict()
    .demandCommand(1, 'name a command: ' + commands.map((c) => c.name).join(', '))
    .recommendCommands()
    .help()
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err) throw err;
      // Throwing stops yargs before it runs a command handler with bad options.
      usageFailure = usageMessage(msg, args);
      throw new UsageError(usageFailure);
    });
  for (const m of modules) y.command(m);
  try {
    await y.parseAsync();
  } catch (err) {
    if (usageFailure !== undefined && err instanceof UsageError && err.message === usageFailure) {
      process.stderr.write(`jscc-sim: ${usageFailure}\n`);
      return 2;
    }
    return reportError(err);
  }
  if (usageFailure !== undefined) {
    process.stderr.write(`jscc-sim: ${usageFailure}\n`);
    return 2;
  }
  return process.exitCode === undefined ? 0 : Number(process.exitCode);
}

/** yargs' validation messages in the project's one-line style (name the value, say what is allowed). */
export function usageMessage(msg: string, args: readonly string[]): string {
  const unknown = /^Unknown arguments?: ([^\n]*)/.exec(msg);
  if (unknown) {
    const names = unknown[1].split(',').map((n) => n.trim()).filter(Boolean);
    const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const shown = names.filter((n) => !(n !== kebab(n) && names.includes(kebab(n))));
    return shown.map((n) => (args.some((a) => a === `--${n}` || a.startsWith(`--${n}=`))
      ? `unknown option --${n}` : `unknown command or argument ${JSON.stringify(n)}`)).join(', ') + ': see --help for what is allowed';
  }
  const missing = /^Missing required arguments?: ([^\n]*)\n?([\s\S]*)$/.exec(msg);
  if (missing) {
    const opts = missing[1].split(',').map((n) => `--${n.trim()}`).join(', ');
    const hint = missing[2].trim().replace(/\s*\n\s*/g, '; ');
    return `${opts} is required${hint ? `: ${hint}` : ''}`;
  }
  return msg.trim().replace(/\s*\n\s*/g, '; ');
}

function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`jscc-sim: ${err.message}\n`);
    return 2;
  }
  const e = err as Error;
  process.stderr.write(`jscc-sim: failed: ${e?.message ?? String(err)}\n`);
  if (process.env.JSCC_SIM_DEBUG) process.stderr.write(`${e?.stack}\n`);
  return 1;
}
