/**
 * MacKay's alist format for sparse parity-check matrices (the format of AFF3CT's and most code
 * catalogues' .alist files; D. MacKay, "Encyclopedia of sparse graph codes"):
 *   N M                     columns (code bits), rows (checks)
 *   maxColWeight maxRowWeight
 *   N column weights
 *   M row weights
 *   N lines: the 1-based row indices of each column (zero padded to maxColWeight, or not)
 *   M lines: the 1-based column indices of each row (likewise)
 * Zeros are padding and are skipped, so padded and unpadded files both read; numbers after the
 * row lists are ignored (some catalogues append e.g. information positions), anything that is not
 * a non-negative integer is an error. The column lists must be the transpose of the row lists. Every problem is one line naming the file and what is wrong.
 */
import { UsageError } from '../../../core/errors.js';
import { ParityCheck } from '../parity-check.js';

/** Parse alist text into H (rows in file order). `name` labels errors (usually the path). */
export function parseAlist(text: string, name = 'alist'): ParityCheck {
  const bad = (msg: string): never => {
    throw new UsageError(`alist file ${JSON.stringify(name)}: ${msg}`);
  };
  // tokens with their line numbers, for messages
  const tok: number[] = [];
  const line: number[] = [];
  text.split(/\r?\n/).forEach((l, i) => {
    for (const t of l.trim().split(/\s+/)) {
      if (t === '') continue;
      if (!/^\d+$/.test(t)) bad(`line ${i + 1}: ${JSON.stringify(t.slice(0, 20))} is not a non-negative integer`);
      tok.push(Number(t));
      line.push(i + 1);
    }
  });
  let at = 0;
  const next = (what: string): number => {
    if (at >= tok.length) bad(`the file ends before ${what}`);
    return tok[at++];
  };
  const n = next('N (columns)');
  const m = next('M (rows)');
  if (!(n >= 2 && n <= 1_000_000 && m >= 1 && m < n)) bad(`N=${n} M=${m} is not allowed: use 2 <= N <= 1000000 and 1 <= M < N`);
  const maxCol = next('the largest column weight');
  const maxRow = next('the largest row weight');
  const colW = Array.from({ length: n }, (_, j) => next(`the weight of column ${j + 1}`));
  const rowW = Array.from({ length: m }, (_, i) => next(`the weight of row ${i + 1}`));
  colW.forEach((w, j) => (w < 1 || w > maxCol) && bad(`column ${j + 1} has weight ${w}: use 1..${maxCol} (the stated largest)`));
  rowW.forEach((w, i) => (w < 1 || w > maxRow) && bad(`row ${i + 1} has weight ${w}: use 1..${maxRow} (the stated largest)`));
  const sumC = colW.reduce((a, b) => a + b, 0);
  const sumR = rowW.reduce((a, b) => a + b, 0);
  if (sumC !== sumR) bad(`the column weights add up to ${sumC} but the row weights to ${sumR}`);
  const list = (count: number, limit: number, what: string): number[] => {
    const out: number[] = [];
    while (out.length < count) {
      const l = at < line.length ? line[at] : -1;
      const v = next(`the entries of ${what}`);
      if (v === 0) continue; // padding
      if (v > limit) bad(`line ${l}: ${what} lists ${v} > ${limit}`);
      if (out.includes(v - 1)) bad(`line ${l}: ${what} lists ${v} twice`);
      out.push(v - 1);
    }
    return out;
  };
  const cols = colW.map((w, j) => list(w, m, `column ${j + 1}`));
  const rows = rowW.map((w, i) => list(w, n, `row ${i + 1}`));
  // the two descriptions must agree
  const inRow = rows.map((r) => new Set(r));
  cols.forEach((c, j) => c.forEach((i) => !inRow[i].has(j) && bad(`column ${j + 1} lists row ${i + 1}, but row ${i + 1} does not list column ${j + 1}`)));
  return ParityCheck.fromRows(n, rows);
}

/** H as alist text (zero padded, the common form). */
export function toAlist(h: ParityCheck): string {
  const rows: number[][] = [];
  const cols: number[][] = Array.from({ length: h.n }, () => []);
  for (let r = 0; r < h.m; r++) {
    const row = Array.from(h.colIdx.subarray(h.rowPtr[r], h.rowPtr[r + 1]));
    rows.push(row);
    for (const c of row) cols[c].push(r);
  }
  const maxC = Math.max(...cols.map((c) => c.length));
  const maxR = Math.max(...rows.map((r) => r.length));
  const pad = (l: number[], w: number) => [...l.map((x) => x + 1), ...Array(w - l.length).fill(0)].join(' ');
  return [
    `${h.n} ${h.m}`, `${maxC} ${maxR}`, cols.map((c) => c.length).join(' '), rows.map((r) => r.length).join(' '),
    ...cols.map((c) => pad(c, maxC)), ...rows.map((r) => pad(r, maxR)), '',
  ].join('\n');
}
