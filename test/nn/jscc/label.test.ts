/** The training-SNR wording shared by scheme labels and training reports. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { snrTrainText } from '../../../src/nn/jscc/label.js';

test('noiseless, one SNR and a range read as labels and reports print them', () => {
  assert.is(snrTrainText(null), 'without noise');
  assert.is(snrTrainText(undefined), 'without noise');
  assert.is(snrTrainText(5), 'at 5 dB');
  assert.is(snrTrainText(-2.5), 'at -2.5 dB');
  assert.is(snrTrainText([0, 10]), 'at 0..10 dB');
});

test.run();
