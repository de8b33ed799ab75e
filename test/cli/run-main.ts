/** Run the CLI in this process (main(argv)) with stdout and stderr captured; restores both. */
import { main } from '../../src/cli/main.js';

export async function runMain(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '', err = '';
  const ow = process.stdout.write.bind(process.stdout);
  const ew = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string | Uint8Array) => { out += String(s); return true; }) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array) => { err += String(s); return true; }) as typeof process.stderr.write;
  const saved = process.exitCode;
  let code: number;
  try {
    code = await main(args);
  } finally {
    process.stdout.write = ow;
    process.stderr.write = ew;
    process.exitCode = saved;
  }
  return { code, out, err };
}
