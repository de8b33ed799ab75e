/**
 * Table output: text columns are left-aligned, a column with maxWidth wraps long cells at spaces
 * onto continuation lines (nothing cut), numbers stay right-aligned on the row's first line.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatResults, wrapText, type Column } from '../../src/cli/output.js';
import type { ResultHeader } from '../../src/sweep/results.js';
import { versions } from '../../src/core/version.js';

const header: ResultHeader = { type: 'header', tool: 'jscc-sim', command: 'compare', config: { reps: 1 }, seed: 1, versions: versions(), createdAt: '' };

test('wrapText: at spaces, at most width, a long word whole', () => {
  assert.equal(wrapText('ideal JPEG at capacity (10146 channel uses)', 16), ['ideal JPEG at', 'capacity (10146', 'channel uses)']);
  assert.equal(wrapText('short', 16), ['short']);
  assert.equal(wrapText('averyveryverylongword x', 8), ['averyveryverylongword', 'x']);
});

test('a wrapped text column: left-aligned, every word kept, the column as wide as its widest wrapped line', () => {
  type R = { label: string; v: number };
  const cols: Column<R>[] = [
    { key: 'scheme', title: 'scheme', value: (r) => r.label, kind: 'text', maxWidth: 20 },
    { key: 'v', title: 'mAP %', value: (r) => r.v, kind: 'fixed2' },
  ];
  const rows: R[] = [{ label: 'none', v: 92.4 }, { label: 'ideal JPEG at capacity (10146 channel uses, as JPEG q50)', v: 7.5 }];
  const lines = formatResults(header, rows, cols, 'table').trimEnd().split('\n');
  assert.is(lines[0], 'scheme            mAP %');
  assert.is(lines[2], 'none              92.40');
  assert.is(lines[3], 'ideal JPEG at      7.50');
  assert.equal(lines.slice(4), ['capacity (10146', 'channel uses, as', 'JPEG q50)']);
  assert.is(lines.slice(3).join(' ').replace(/\s+7\.50/, ''), rows[1].label);
  // CSV keeps the whole label in one field.
  assert.match(formatResults(header, rows, cols, 'csv'), /"ideal JPEG at capacity \(10146 channel uses, as JPEG q50\)",7.5/);
});

test.run();
