/**
 * `jscc-sim ber`: Monte-Carlo BER/BLER of a modulation (optionally coded) over a channel, with
 * the 95% CI, the stop reason and, uncoded on AWGN/Rayleigh, the closed form beside it. Each row is
 * printed as its point finishes (table, CSV, JSON Lines; JSON at the end) with its elapsed time and
 * simulated throughput. `--out FILE.jsonl` writes the results file that `report` reads (header +
 * one record per point, appended as each finishes, resumed on a rerun); `--format` is stdout only.
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
import { CHANNEL_TIMEOUT_OPTION, applyChannelTimeoutOption, isPluginPath, resolvePluginPath } from '../../../channels/plugin.js';
import { CI_METHODS, DEFAULT_MAX_BITS, DEFAULT_MIN_ERRORS, runBer, theoryModel, type BerPoint, type CiMethod } from '../../sim/engine.js';
import { buildChain, type ChainSpec } from '../../sim/chain.js';
import type { Column } from '../output.js';
import { RowPrinter, parseStreamFormat } from '../row-stream.js';
import { runPointSweep } from '../point-sweep.js';
import { checkOutputFile } from '../../sweep/output-path.js';
import { pointHeader } from '../../sweep/points.js';

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
  resume?: boolean;
  'max-seconds'?: string;
  'stop-at-zero'?: boolean;
  quiet?: boolean;
}

const OPTIONS = ['mod', 'channel-timeout', 'code', 'channel', 'channel-param', 'snr', 'ebn0', 'min-errors', 'min-block-errors', 'max-bits',
  'max-seconds', 'stop-at-zero', 'demap', 'ci', 'seed', 'workers', 'format', 'out', 'resume', 'quiet'];

/** A row as printed and stored: the engine's point plus simulated throughput. */
type BerRow = BerPoint & { mbitPerSecond: number };

/**
 * Refuse unknown options before running: with a non-throwing fail handler yargs would still call
 * the handler on `--min-erors 5`, run the whole simulation and only then report the typo.
 */
function rejectUnknown(argv: Record<string, unknown>): void {
  const camel = (o: string) => o.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const known = new Set(['_', '$0', 'help', 'version', 'no-resume', 'noResume', ...OPTIONS, ...OPTIONS.map(camel)]);
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
    .option('channel-timeout', CHANNEL_TIMEOUT_OPTION)
    .option('channel-param', { type: 'string', describe: 'channel parameter k=v (repeatable), e.g. K=3, block=all, profile=pedA' })
    .option('snr', { type: 'string', describe: 'Es/N0 points in dB: LO..HI, LO..HI:STEP or a,b,c' })
    .option('ebn0', { type: 'string', describe: 'Eb/N0 points in dB (instead of --snr)' })
    .option('min-errors', { type: 'string', describe: `stop a point at this many bit errors (default ${DEFAULT_MIN_ERRORS})` })
    .option('min-block-errors', { type: 'string', describe: 'stop on this many block errors instead' })
    .option('max-bits', { type: 'string', describe: `stop a point after this many information bits (default ${DEFAULT_MAX_BITS})` })
    .option('max-seconds', { type: 'string', describe: 'stop a point after this many seconds of wall-clock time (not reproducible: the stop column says so)' })
    .option('stop-at-zero', { type: 'boolean', default: false, describe: 'end the sweep after the first point with no errors (Sionna early_stop)' })
    .option('demap', { type: 'string', default: 'exact', describe: 'soft demapping: exact (log-MAP) or maxlog' })
    .option('ci', { type: 'string', default: 'wilson', describe: '95% interval: wilson or clopper-pearson' })
    .option('seed', { type: 'string', default: '1', describe: 'random seed (same seed, same numbers, any --workers)' })
    .option('workers', { type: 'string', describe: 'worker threads (default: all cores)' })
    .option('format', { type: 'string', default: 'table', describe: 'stdout: table, csv, jsonl (rows as they finish) or json (at the end)' })
    .option('out', { type: 'string', describe: 'results file FILE.jsonl for report: header + one record per point, appended as each finishes, resumed on a rerun' })
    .option('resume', { type: 'boolean', default: true, describe: 'resume an existing --out file (--no-resume starts anew)' })
    .option('quiet', { type: 'boolean', default: false, describe: 'no progress on stderr' }) as unknown as Argv<BerArgs>,
  handler: async (argv) => {
    applyChannelTimeoutOption((argv as { 'channel-timeout'?: unknown })['channel-timeout']);
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
    const format = parseStreamFormat(str(argv.format));
    const out = str(argv.out);
    if (out !== undefined) checkOutputFile(out);
    const maxSecondsArg = str(argv['max-seconds']);
    const maxSeconds = maxSecondsArg === undefined ? undefined : Number(maxSecondsArg);
    if (maxSeconds !== undefined && !(/^\s*\d+(\.\d+)?\s*$/.test(maxSecondsArg!) && maxSeconds > 0)) {
      throw new UsageError(`--max-seconds ${JSON.stringify(maxSecondsArg)} is not allowed: use a positive number of seconds`);
    }
    const stopAtZero = !!argv['stop-at-zero'];

    // ---- the header (before any work: it is the first line written) ----
    const spec: ChainSpec = { mod, code: codeSpec, channel: channelSpec, channelParams, demap };
    const chain = await buildChain(spec);
    const theory = theoryModel(chain)?.label;
    const coded = code !== null;
    // Coded or one fading value per frame: bit errors are not independent, show the frame-level interval.
    const frameCi = coded || channelSpec === 'rayleigh-block' || channelParams.block === 'all';
    const header = pointHeader('ber', {
      mod, bitsPerSymbol: m, code: codeSpec, codeRate: rate, channel: channelSpec, channelParams, demap,
      snrDb, ...(ebn0Arg !== undefined ? { ebn0Db: given } : {}),
      minErrors, ...(minBlockErrors !== undefined ? { minBlockErrors } : {}), maxBits,
      ...(maxSeconds !== undefined ? { maxSeconds } : {}), ...(stopAtZero ? { stopAtZero } : {}),
      frameBits: chain.frameBits, txBitsPerFrame: chain.txBits,
      units: 'SNR = Es/N0 (Es = 1), N0 complex; Eb/N0 = SNR - 10 log10(rate * bitsPerSymbol); ci95 = 95% interval of the --ci method (independent bits); ci95Frames = normal 95% with frames as units; mbitPerSecond = information bits simulated per second of wall time',
      ci,
      blocks: coded ? 'codewords' : `uncoded frames of ${chain.frameBits} bits`,
      theory: theory ?? null,
    }, seed, { workers });
    const columns = berColumns(coded, frameCi, theory);

    // ---- run: rows printed and appended as each point finishes ----
    const printer = new RowPrinter<BerRow>(header, columns, format, { caption: true });
    await runPointSweep({ label: 'ber', out, header, snrDb, resume: argv.resume !== false, quiet: !!argv.quiet, printer }, async (run) => {
      await runBer(spec, {
        snrDb, only: run.todo, minErrors, minBlockErrors, maxBits, maxSeconds, stopAtZero, seed, workers, ci,
        onChunk: (p, c) => run.progress.update(run.done(), `SNR ${snrDb[p]} dB: ${c.bitErrors} errors / ${c.bits} bits`),
        onPoint: (point, i) => {
          const row: BerRow = { ...point, mbitPerSecond: point.seconds > 0 ? point.bits / point.seconds / 1e6 : NaN };
          run.finish(i, row, `SNR ${row.snrDb} dB: BER ${row.ber.toExponential(2)} (${row.bitErrors} errors / ${row.bits} bits, ${row.stop})`);
        },
      });
    });
  },
};

function berColumns(coded: boolean, frameCi: boolean, theory: string | undefined): Column<BerRow>[] {
  const columns: Column<BerRow>[] = [
    { key: 'snrDb', title: 'SNR dB', value: (r) => r.snrDb, kind: 'fixed2' },
    { key: 'ebn0Db', title: 'Eb/N0 dB', value: (r) => r.ebn0Db, kind: 'fixed2' },
    { key: 'ber', title: 'BER', value: (r) => r.ber, kind: 'exp' },
    { key: 'ci95Lo', title: 'CI95 lo', value: (r) => r.ci95[0], kind: 'exp' },
    { key: 'ci95Hi', title: 'CI95 hi', value: (r) => r.ci95[1], kind: 'exp' },
    ...(frameCi ? [
      { key: 'ci95FramesLo', title: 'CI95 lo (frames)', value: (r: BerRow) => r.ci95Frames[0], kind: 'exp' as const },
      { key: 'ci95FramesHi', title: 'CI95 hi (frames)', value: (r: BerRow) => r.ci95Frames[1], kind: 'exp' as const },
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
  columns.push(
    { key: 'stop', title: 'stop', value: (r) => r.stop, kind: 'text' },
    { key: 'seconds', title: 'seconds', value: (r) => r.seconds, kind: 'fixed2' },
    { key: 'mbitPerSecond', title: 'Mbit/s', value: (r) => r.mbitPerSecond, kind: 'fixed2' },
  );
  if (theory) columns.push({ key: 'theoryBer', title: `theory (${theory})`, value: (r) => r.theoryBer, kind: 'exp' });
  return columns;
}
