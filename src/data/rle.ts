/**
 * COCO run-length encoding of binary masks. COCO runs go down the columns (column-major, Fortran
 * order: pixel (row y, col x) is element x * height + y), start with a run of zeros (possibly of
 * length 0) and alternate. Masks in this toolkit are row-major (y * width + x), so the functions
 * transpose on the fly. The compressed string form (pycocotools `rleToString`, as found in results
 * files and in some converted data sets) is read and written too.
 */

/** COCO uncompressed RLE: `counts` runs, `size` = [height, width]. */
export interface Rle {
  size: [number, number];
  counts: number[] | string;
}

/** Encode a row-major binary mask (non-zero = 1) as uncompressed COCO RLE counts. */
export function rleEncode(mask: ArrayLike<number>, height: number, width: number): number[] {
  if (mask.length !== height * width) throw new RangeError(`mask has ${mask.length} pixels, expected ${height}x${width}`);
  const counts: number[] = [];
  let cur = 0; // value of the current run
  let run = 0;
  for (let x = 0; x < width; x++) {
    for (let y = 0, i = x; y < height; y++, i += width) {
      const v = mask[i] ? 1 : 0;
      if (v !== cur) { counts.push(run); run = 0; cur = v; }
      run++;
    }
  }
  counts.push(run);
  return counts;
}

/** Number of foreground pixels of an RLE. */
export function rleArea(counts: readonly number[]): number {
  let a = 0;
  for (let i = 1; i < counts.length; i += 2) a += counts[i];
  return a;
}

/**
 * Decode an RLE into a row-major mask, setting `value` where the mask is 1 (other pixels untouched:
 * masks paint over `out` in annotation order). Throws RangeError when the runs do not sum to the size.
 */
export function rlePaint(rle: Rle, out: Uint8Array, value: number): void {
  const [height, width] = rle.size;
  if (out.length !== height * width) throw new RangeError(`RLE size ${height}x${width} does not match the ${out.length}-pixel mask`);
  const counts = typeof rle.counts === 'string' ? rleFromString(rle.counts) : rle.counts;
  let pos = 0; // column-major position
  let v = 0;
  const total = height * width;
  for (const c of counts) {
    if (!Number.isInteger(c) || c < 0 || pos + c > total) {
      throw new RangeError(`RLE runs do not fit a ${height}x${width} mask (run ${c} at ${pos})`);
    }
    if (v && c > 0) {
      let x = Math.floor(pos / height);
      let y = pos - x * height;
      for (let k = 0; k < c; k++) {
        out[y * width + x] = value;
        if (++y === height) { y = 0; x++; }
      }
    }
    pos += c;
    v ^= 1;
  }
  if (pos !== total) throw new RangeError(`RLE runs cover ${pos} pixels, expected ${height}x${width} = ${total}`);
}

/** Decode pycocotools' compressed RLE string (LEB128-like, 5 bits a character, differences of runs). */
export function rleFromString(s: string): number[] {
  const counts: number[] = [];
  let p = 0;
  while (p < s.length) {
    let x = 0;
    let k = 0;
    let more = 1;
    while (more) {
      if (p >= s.length) throw new RangeError('compressed RLE string ends inside a number');
      const c = s.charCodeAt(p) - 48;
      if (c < 0 || c > 63) throw new RangeError(`compressed RLE string has a bad character ${JSON.stringify(s[p])}`);
      x |= (c & 0x1f) << (5 * k);
      more = c & 0x20;
      p++;
      k++;
      if (!more && c & 0x10) x |= -1 << (5 * k);
    }
    const m = counts.length;
    if (m > 2) x += counts[m - 2];
    counts.push(x);
  }
  return counts;
}

/** Encode counts as pycocotools' compressed RLE string. */
export function rleToString(counts: readonly number[]): string {
  let s = '';
  for (let i = 0; i < counts.length; i++) {
    let x = counts[i];
    if (i > 2) x -= counts[i - 2];
    let more = 1;
    while (more) {
      let c = x & 0x1f;
      x >>= 5;
      more = c & 0x10 ? (x !== -1 ? 1 : 0) : (x !== 0 ? 1 : 0);
      if (more) c |= 0x20;
      s += String.fromCharCode(c + 48);
    }
  }
  return s;
}
