/**
 * `npm run figures`: every paper artifact in order (Table I, II, III, Fig. 5) into ./figures, each
 * a separate process so a failure names its script. Tables II and III read the training campaign's
 * runs (scripts/train-default.sh); they train nothing.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
let failed = 0;
for (const s of ['table1', 'fig5', 'table3', 'table2']) {
  process.stderr.write(`== ${s}\n`);
  const r = spawnSync(process.execPath, [...process.execArgv, path.join(here, s + ext), ...process.argv.slice(2)], { stdio: 'inherit' });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
