/**
 * The error rule of docs/architecture.md ("Failure semantics") for the two decoders: a bad decoder
 * option is a UsageError (exit 2) in Viterbi as in LDPC, naming the value and what is allowed.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ViterbiDecoder, type AcsKernel } from '../../../src/fec/conv/viterbi.js';
import { LdpcDecoder } from '../../../src/fec/ldpc/decoder.js';
import { parityCheck80211n } from '../../../src/fec/ldpc/80211n/code.js';
import { UsageError } from '../../../src/core/errors.js';
import { runMain } from '../../cli/run-main.js';

const isUsage = (re: RegExp) => (e: unknown) => e instanceof UsageError && re.test((e as Error).message) && !(e as Error).message.includes('\n');

test('an unknown kernel is a UsageError in both decoders', () => {
  assert.throws(() => new ViterbiDecoder(100, 'gpu' as AcsKernel), isUsage(/Viterbi kernel "gpu".*auto, js, wasm/));
  assert.throws(() => new LdpcDecoder(parityCheck80211n(648, '1/2'), { kernel: 'gpu' as never }), isUsage(/LDPC kernel "gpu".*auto, js, wasm/));
});

test('a structural parameter out of range is a UsageError', () => {
  assert.throws(() => new ViterbiDecoder(6), isUsage(/maxSteps 6.*> 6/));
  assert.throws(() => new ViterbiDecoder(10.5), isUsage(/maxSteps 10.5/));
  assert.throws(() => new LdpcDecoder(parityCheck80211n(648, '1/2'), { maxIterations: 0 }), isUsage(/maxIterations 0/));
});

test('from the command line both bad code options exit 2 with one line', async () => {
  for (const code of ['conv:1/2:K=0', 'ldpc:80211n:648:1/2:iter=0']) {
    const r = await runMain(['ber', '--mod', 'bpsk', '--code', code, '--snr', '0']);
    assert.is(r.code, 2, `${code}: ${r.err}`);
    assert.is(r.err.trim().split('\n').length, 1, r.err);
  }
});

test.run();
