import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseRange } from '../../src/core/range.js';
import { UsageError } from '../../src/core/errors.js';

test('ranges, steps and lists', () => {
  assert.equal(parseRange('-5..20').length, 26);
  assert.equal(parseRange('-5..20')[0], -5);
  assert.equal(parseRange('0..2:0.5'), [0, 0.5, 1, 1.5, 2]);
  assert.equal(parseRange('0,5,10'), [0, 5, 10]);
  assert.equal(parseRange('0..1:0.1').length, 11);
  assert.equal(parseRange('3'), [3]);
});

test('malformed ranges are usage errors naming the value', () => {
  for (const bad of ['-5..', 'a..b', '0..5:0', '5..0', '', '1,,2', '0..5:-1']) {
    assert.throws(() => parseRange(bad), (e: unknown) => e instanceof UsageError && (e as Error).message.includes(JSON.stringify(bad)));
  }
});

test.run();
