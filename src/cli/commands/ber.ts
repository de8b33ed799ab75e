/**
 * `jscc-sim ber`: Monte-Carlo BER/BLER of a modulation (optionally coded) over a channel, with
 * the 95% CI, the stop reason and, uncoded on AWGN/Rayleigh, the closed form beside it.
 * Everything is validated before anything runs or is written (bad input: one line, exit 2).
 */
import os from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { UsageError, parseCount } from '../../core/errors.js';
import { parseRange } from '../../core/range.js';
import { snrFromEbn0Db } from '../../core/types.js';
import { versions } from '../../core/version.js';
import { MODEM_NAMES, createModem } from '../../phy/registry.js';
import { parseCodeSpec } from '../../fec/registry.js';
import { CHANNEL_NAMES, createChannel, parseChannelParams } from '../../../channels/registry.js';
import { isPluginPath, resolvePluginPath } from '../../../channels/plugin.js';
import { CI_METHODS, DEFAULT_MAX_BITS, DEFAULT_MIN_ERRORS, runBer, type BerPoint, type CiMethod } from '../../sim/engine.js';
import type { ChainSpec } from '../../sim/chain.js';
import { type Column, formatResults, parseFormat, writeOutput } from '../output.js';
import { Progress } from '../progress.js';

interface BerArgs {
  mod?: string;
  code?: string;
  channel?: string;
  'channel-param'?: string | string[];
  snr?: string;
  ebn0?: string;
  'min-errors'?: string;
  'min-block-errors'?: string;
  'max-bits'?: string;
  demap?: string;
  ci?: string;
  seed?: string;
  workers?: string;
  format?: string;
  out?: string;
  quiet?: boolean;
}

const OPTIONS = ['mod', 'code', 'channel', 'channel-param', 'snr', 'ebn0', 'min-errors', 'min-block-errors', 'max-bits',
  'demap', 'ci', 'seed', 'workers', 'format', 'out', 'quiet'];

/**
 * Refuse unknown options before running: with a non-throwing fail handler yargs would still call
 * the handler on `--min-erors 5`, run the whole simulation and only then report the typo.
 */
function rejectUnknown(argv: Record<string, unknown>): void {
  const camel = (o: string) => o.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const known = new Set(['_', '$0', 'help', 'version', ...OPTIONS, ...OPTIONS.map(camel)]);
  const unknown = Object.keys(argv).filter((k) => !known.has(k));
  // yargs adds a camelCase alias of each kebab-case key: name each typo once
  const shown = unknown.filter((k) => !/[A-Z]/.test(k) || !unknown.includes(k.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())));
  if (shown.length) throw new UsageError(`unknown option ${shown.map((k) => '--' + k).join(', ')}: use ${OPTIONS.map((o) => '--' + o).join(', ')}`);
  const extra = (argv._ as unknown[]).slice(1);
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(String(extra[0]))}: ber takes options only`);
}

function str(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  if (Array.isArray(v)) return String(v[v.length - 1]); // a repeated option: the last one wins
  return String(v);
}

export const berCommand: CommandModule<object, BerArgs> = {
  command: 'ber',
  describe: 'Monte-Carlo bit/block error rate of a modulation (and code) over a channel',
  builder: (y: Argv) => y
    .option('mod', { type: 'string', describe: `modulation: ${MODEM_NAMES.join('|')}`, demandOption: 'name a modulation with --mod' })
    .option('code', { type: 'string', default: 'none', describe: 'channel code SPEC (none, conv:1/2, ldpc:80211n:648:1/2, ...)' })
    .option('channel', { type: 'string', default: 'awgn', describe: `${CHANNEL_NAMES.join('|')} or a plug-in ./file.js` })
    .option('channel-param', { type: 'string', describe: 'channel parameter k=v (repeatable), e.g. K=3, block=all, profile=pedA' })
    .option('snr', { type: 'string', describe: 'Es/N0 points in dB: LO..HI, LO..HI:STEP or a,b,c' })
    .option('ebn0', { type: 'string', describe: 'Eb/N0 points in dB (instead of --snr)' })
    .option('min-errors', { type: 'string', describe: `stop a point at this many bit errors (default ${DEFAULT_MIN_ERRORS})` })
    .option('min-block-errors', { type: 'string', describe: 'stop on this many block errors instead' })
    .option('max-bits', { type: 'string', describe: `stop a point after this many information bits (default ${DEFAULT_MAX_BITS})` })
    .option('demap', { type: 'string', default: 'exact', describe: 'soft demapping: exact (log-MAP) or maxlog' })
    .option('ci', { type: 'string', default: 'wilson', describe: '95% interval: wilson or clopper-pearson' })
    .option('seed', { type: 'string', default: '1', describe: 'random seed (same seed, same numbers, any --workers)' })
    .option('workers', { type: 'string', describe: 'worker threads (default: all cores)' })
    .option('format', { type: 'string', default: 'table', describe: 'table, csv or json' })
    .option('out', { type: 'string', describe: 'write results to this file instead of stdout' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' }) as unknown as Argv<BerArgs>,
  handler: async (argv) => {
    // ---- validate everything first ----
    rejectUnknown(argv as unknown as Record<string, unknown>);
    if (argv.mod === undefined) throw new UsageError(`--mod is required: use ${MODEM_NAMES.join(', ')}`);
    const mod = String(str(argv.mod)).trim().toLowerCase();
    const modem = createModem(mod);
    const codeSpec = str(argv.code) ?? 'none';
    const code = parseCodeSpec(codeSpec);
    const channelArg = str(argv.channel) ?? 'awgn';
    const rawParams = argv['channel-param'];
    const channelParams = parseChannelParams(rawParams === undefined ? [] : Array.isArray(rawParams) ? rawParams.map(String) : [String(rawParams)]);
    const channelSpec = isPluginPath(channelArg) ? resolvePluginPath(channelArg) : channelArg.trim().toLowerCase();
    await createChannel(channelArg, channelParams); // validates the name, plug-in and params now
    const snrArg = str(argv.snr);
    const ebn0Arg = str(argv.ebn0);
    if ((snrArg === undefined) === (ebn0Arg === undefined)) {
      throw new UsageError(`give exactly one of --snr RANGE or --ebn0 RANGE (got ${snrArg === undefined ? 'neither' : 'both'})`);
    }
    const rate = code ? code.rate : 1;
    const m = modem.bitsPerSymbol;
    const given = snrArg !== undefined ? parseRange(snrArg, '--snr') : parseRange(ebn0Arg as string, '--ebn0');
    const snrDb = snrArg !== undefined ? given : given.map((e) => Math.round(snrFromEbn0Db(e, rate, m) * 1e9) / 1e9);
    const minErrors = argv['min-errors'] === undefined ? DEFAULT_MIN_ERRORS : parseCount('--min-errors', str(argv['min-errors']), { min: 1 });
    const minBlockErrors = argv['min-block-errors'] === undefined ? undefined : parseCount('--min-block-errors', str(argv['min-block-errors']), { min: 1 });
    const maxBits = argv['max-bits'] === undefined ? DEFAULT_MAX_BITS : parseCount('--max-bits', str(argv['max-bits']), { min: 1 });
    const demap = String(str(argv.demap)).trim().toLowerCase();
    if (demap !== 'exact' && demap !== 'maxlog') throw new UsageError(`--demap ${JSON.stringify(str(argv.demap))} is not allowed: use exact or maxlog`);
    const ci = String(str(argv.ci) ?? 'wilson').trim().toLowerCase() as CiMethod;
    if (!CI_METHODS.includes(ci)) throw new UsageError(`--ci ${JSON.stringify(str(argv.ci))} is not allowed: use ${CI_METHODS.join(' or ')}`);
    const seed = parseCount('--seed', str(argv.seed), { min: 0 });
    const workers = argv.workers === undefined ? os.availableParallelism() : parseCount('--workers', str(argv.workers), { min: 1 });
    const format = parseFormat(str(argv.format));
    const out = str(argv.out);

    // ---- run ----
    const spec: ChainSpec = { mod, code: codeSpec, channel: channelSpec, channelParams, demap };
    const progress = new Progress({ label: 'ber', total: snrDb.length, quiet: !!argv.quiet });
    let done = 0;
    const run = await runBer(spec, {
      snrDb, minErrors, minBlockErrors, maxBits, seed, workers, ci,
      onChunk: (p, c) => progress.update(done, `SNR ${snrDb[p]} dB: ${c.bitErrors} errors / ${c.bits} bits`),
      onPoint: (row) => {
        done++;
        progress.step(done, `SNR ${row.snrDb} dB: BER ${row.ber.toExponential(2)} (${row.bitErrors} errors / ${row.bits} bits, ${row.stop})`);
      },
    }).finally(() => progress.stop());

    const coded = code !== null;
    // One fading value per frame: bit errors are not independent, show the frame-level interval.
    const frameCi = channelSpec === 'rayleigh-block' || channelParams.block === 'all';
    const columns: Column<BerPoint>[] = [
      { key: 'snrDb', title: 'SNR dB', value: (r) => r.snrDb, kind: 'fixed2' },
      { key: 'ebn0Db', title: 'Eb/N0 dB', value: (r) => r.ebn0Db, kind: 'fixed2' },
      { key: 'ber', title: 'BER', value: (r) => r.ber, kind: 'exp' },
      { key: 'ci95Lo', title: 'CI95 lo', value: (r) => r.ci95[0], kind: 'exp' },
      { key: 'ci95Hi', title: 'CI95 hi', value: (r) => r.ci95[1], kind: 'exp' },
      ...(frameCi ? [
        { key: 'ci95FramesLo', title: 'CI95 lo (frames)', value: (r: BerPoint) => r.ci95Frames[0], kind: 'exp' as const },
        { key: 'ci95FramesHi', title: 'CI95 hi (frames)', value: (r: BerPoint) => r.ci95Frames[1], kind: 'exp' as const },
      ] : []),
      { key: 'bitErrors', title: 'bit errors', value: (r) => r.bitErrors, kind: 'int' },
      { key: 'bits', title: 'bits', value: (r) => r.bits, kind: 'int' },
    ];
    if (coded) {
      columns.push(
        { key: 'blocks', title: 'blocks', value: (r) => r.blocks, kind: 'int' },
        { key: 'blockErrors', title: 'block errors', value: (r) => r.blockErrors, kind: 'int' },
        { key: 'bler', title: 'BLER', value: (r) => r.bler, kind: 'exp' },
        { key: 'blerCi95Lo', title: 'BLER lo', value: (r) => r.blerCi95[0], kind: 'exp' },
        { key: 'blerCi95Hi', title: 'BLER hi', value: (r) => r.blerCi95[1], kind: 'exp' },
      );
    }
    columns.push({ key: 'stop', title: 'stop', value: (r) => r.stop, kind: 'text' });
    if (run.theory) columns.push({ key: 'theoryBer', title: `theory (${run.theory})`, value: (r) => r.theoryBer, kind: 'exp' });

    const header = {
      command: 'ber',
      config: {
        mod, bitsPerSymbol: m, code: codeSpec, codeRate: rate, channel: channelSpec, channelParams, demap,
        snrDb, ...(ebn0Arg !== undefined ? { ebn0Db: given } : {}),
        minErrors, ...(minBlockErrors !== undefined ? { minBlockErrors } : {}), maxBits, workers,
        frameBits: run.frameBits, txBitsPerFrame: run.txBits,
        units: 'SNR = Es/N0 (Es = 1), N0 complex; Eb/N0 = SNR - 10 log10(rate * bitsPerSymbol); ci95 = 95% interval of the --ci method (independent bits); ci95Frames = normal 95% with frames as units',
        ci,
        blocks: coded ? 'codewords' : `uncoded frames of ${run.frameBits} bits`,
        theory: run.theory ?? null,
      },
      seed,
      versions: versions(),
    };
    writeOutput(formatResults(header, run.rows, columns, format, { caption: true }), out);
  },
};
