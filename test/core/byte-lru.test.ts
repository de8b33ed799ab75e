/** ByteLru: the byte bound holds, the least recently used goes first, growth counts, a bad bound is refused. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ByteLru } from '../../src/core/byte-lru.js';

test('drops the least recently used entries once over the bound', () => {
  const c = new ByteLru<string>(10);
  c.set('a', 'A', 4);
  c.set('b', 'B', 4);
  assert.is(c.get('a'), 'A'); // a is now the most recent: b goes first
  c.set('c', 'C', 4);
  assert.is(c.get('b'), undefined);
  assert.equal([c.get('a'), c.get('c'), c.size, c.bytes], ['A', 'C', 2, 8]);
});

test('growth counts against the bound; an entry larger than the bound is not kept; replacing frees the old size', () => {
  const c = new ByteLru<string>(10);
  c.set('a', 'A', 4);
  c.set('b', 'B', 4);
  c.grow('b', 3); // 11 > 10: a (the oldest) goes
  assert.equal([c.get('a'), c.get('b'), c.bytes], [undefined, 'B', 7]);
  c.grow('missing', 100);
  assert.is(c.bytes, 7);
  assert.ok(c.holds('b', 'B') && !c.holds('b', 'other'));
  c.set('big', 'X', 11);
  assert.equal([c.get('big'), c.size, c.bytes], [undefined, 0, 0]);
  c.set('k', 'one', 6);
  c.set('k', 'two', 5);
  assert.equal([c.get('k'), c.size, c.bytes], ['two', 1, 5]);
  const off = new ByteLru<string>(0);
  off.set('a', 'A', 1);
  assert.is(off.size, 0);
  assert.throws(() => new ByteLru(-1), /cache bound -1 is not allowed/);
});

test.run();
