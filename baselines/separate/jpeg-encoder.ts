/**
 * Baseline sequential grayscale JPEG encoder (ITU-T T.81: one component, 8-bit, Huffman).
 *
 * Why not jpeg-js's encoder: it only writes 3-component YCbCr, so a gray mosaic pays for two empty
 * chroma planes (8 bits per 8x8 block plus ~300 header bytes of chroma tables), and it rebuilds
 * ~65k-entry tables on every call (~40 ms per image on this machine). The decoder stays jpeg-js.
 *
 * Quality scaling is the IJG one (the same as jpeg-js and libjpeg): scale = q < 50 ? 5000 / q :
 * 200 - 2q, entry = clamp(floor((base * scale + 50) / 100), 1, 255). The DCT is the AAN float
 * DCT (as in libjpeg's jfdctflt), quantization rounds to nearest; edge blocks replicate the last
 * row/column. Tables: luminance quantization (T.81 Table K.1) and the typical luminance DC/AC Huffman
 * tables (T.81 Tables K.3, K.5), transcribed from the standard; or, with `huffman: 'optimal'`,
 * tables built for the image by the two-pass procedure of T.81 Annex K.2 (what libjpeg's
 * `optimize_coding` and pillow's `optimize=True` do): count the DC and AC symbols, code lengths by
 * Figure K.1 (with the reserved all-ones codepoint), limited to 16 bits by Figure K.3, symbols
 * sorted by Figure K.4. The tables travel in the DHT segments, so any baseline decoder reads them.
 * Measured on 24 D1 mosaics (256x128) of the shipped model against pillow 12.3 (libjpeg-turbo)
 * `optimize=True` at q 5..90: 0.4-2.6 % smaller (pillow writes an 18-byte JFIF APP0 segment that
 * this encoder omits), while the typical tables are 1.7 % (q90) to 57 % (q5) larger than it.
 */
const LUMA_QT = [
  16, 11, 10, 16, 24, 40, 51, 61,
  12, 12, 14, 19, 26, 58, 60, 55,
  14, 13, 16, 24, 40, 57, 69, 56,
  14, 17, 22, 29, 51, 87, 80, 62,
  18, 22, 37, 56, 68, 109, 103, 77,
  24, 35, 55, 64, 81, 104, 113, 92,
  49, 64, 78, 87, 103, 121, 120, 101,
  72, 92, 95, 98, 112, 100, 103, 99,
];
export const DC_BITS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
export const DC_VALS = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
export const AC_BITS = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d];
export const AC_VALS = [
  0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07,
  0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1, 0x15, 0x52, 0xd1, 0xf0,
  0x24, 0x33, 0x62, 0x72, 0x82, 0x09, 0x0a, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x25, 0x26, 0x27, 0x28,
  0x29, 0x2a, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3a, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49,
  0x4a, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69,
  0x6a, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89,
  0x8a, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9a, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7,
  0xa8, 0xa9, 0xaa, 0xb2, 0xb3, 0xb4, 0xb5, 0xb6, 0xb7, 0xb8, 0xb9, 0xba, 0xc2, 0xc3, 0xc4, 0xc5,
  0xc6, 0xc7, 0xc8, 0xc9, 0xca, 0xd2, 0xd3, 0xd4, 0xd5, 0xd6, 0xd7, 0xd8, 0xd9, 0xda, 0xe1, 0xe2,
  0xe3, 0xe4, 0xe5, 0xe6, 0xe7, 0xe8, 0xe9, 0xea, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8,
  0xf9, 0xfa,
];

/** ZIGZAG[k] = natural (row-major) index of the k-th coefficient in zigzag order. */
export const ZIGZAG: Int32Array = (() => {
  const z = new Int32Array(64);
  let r = 0, c = 0;
  for (let k = 0; k < 64; k++) {
    z[k] = r * 8 + c;
    if ((r + c) % 2 === 0) { // moving up-right
      if (c === 7) r++; else if (r === 0) c++; else { r--; c++; }
    } else { // moving down-left
      if (r === 7) c++; else if (c === 0) r++; else { r++; c--; }
    }
  }
  return z;
})();

/** IJG quality scaling of the luminance table (natural order). */
export function lumaQuantTable(quality: number): Int32Array {
  const q = Math.min(100, Math.max(1, Math.round(quality)));
  const scale = q < 50 ? Math.floor(5000 / q) : 200 - 2 * q;
  const t = new Int32Array(64);
  for (let i = 0; i < 64; i++) t[i] = Math.min(255, Math.max(1, Math.floor((LUMA_QT[i] * scale + 50) / 100)));
  return t;
}

/** Canonical Huffman codes (T.81 Annex C): code and length per symbol. */
function huffmanCodes(bits: number[], vals: number[]): { code: Int32Array; size: Int32Array } {
  const code = new Int32Array(256);
  const size = new Int32Array(256);
  let c = 0, k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let i = 0; i < bits[len - 1]; i++) { code[vals[k]] = c++; size[vals[k]] = len; k++; }
    c <<= 1;
  }
  return { code, size };
}
const DC = huffmanCodes(DC_BITS, DC_VALS);
const AC = huffmanCodes(AC_BITS, AC_VALS);

const AAN = [1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.5411961, 0.275899379];

interface QualityTables { qt: Int32Array; /** multiplier per natural index: 1 / (q * aan_u * aan_v * 8) */ fdtbl: Float64Array }
const tableCache = new Map<number, QualityTables>();
function tablesFor(quality: number): QualityTables {
  let t = tableCache.get(quality);
  if (!t) {
    const qt = lumaQuantTable(quality);
    const fdtbl = new Float64Array(64);
    for (let r = 0; r < 8; r++) for (let c = 0; c < 8; c++) fdtbl[r * 8 + c] = 1 / (qt[r * 8 + c] * AAN[r] * AAN[c] * 8);
    t = { qt, fdtbl };
    tableCache.set(quality, t);
  }
  return t;
}

/** In-place AAN forward DCT of an 8x8 block (rows then columns); outputs are scaled by 8*aan_u*aan_v. */
function fdct8x8(d: Float64Array): void {
  for (let pass = 0; pass < 2; pass++) {
    const step = pass === 0 ? 1 : 8; // element stride inside a line
    const next = pass === 0 ? 8 : 1; // stride between lines
    for (let line = 0; line < 8; line++) {
      const o = line * next;
      const d0 = d[o], d1 = d[o + step], d2 = d[o + 2 * step], d3 = d[o + 3 * step];
      const d4 = d[o + 4 * step], d5 = d[o + 5 * step], d6 = d[o + 6 * step], d7 = d[o + 7 * step];
      const t0 = d0 + d7, t7 = d0 - d7, t1 = d1 + d6, t6 = d1 - d6;
      const t2 = d2 + d5, t5 = d2 - d5, t3 = d3 + d4, t4 = d3 - d4;
      // even part
      const t10 = t0 + t3, t13 = t0 - t3, t11 = t1 + t2, t12 = t1 - t2;
      d[o] = t10 + t11;
      d[o + 4 * step] = t10 - t11;
      const z1 = (t12 + t13) * 0.707106781;
      d[o + 2 * step] = t13 + z1;
      d[o + 6 * step] = t13 - z1;
      // odd part
      const e10 = t4 + t5, e11 = t5 + t6, e12 = t6 + t7;
      const z5 = (e10 - e12) * 0.382683433;
      const z2 = 0.5411961 * e10 + z5;
      const z4 = 1.306562965 * e12 + z5;
      const z3 = e11 * 0.707106781;
      const z11 = t7 + z3, z13 = t7 - z3;
      d[o + 5 * step] = z13 + z2;
      d[o + 3 * step] = z13 - z2;
      d[o + step] = z11 + z4;
      d[o + 7 * step] = z11 - z4;
    }
  }
}

/** Growable byte sink with the JPEG bit writer (MSB first, 0xFF stuffed with 0x00). */
class Sink {
  buf = new Uint8Array(4096);
  len = 0;
  private acc = 0;
  private nbits = 0;
  byte(b: number): void {
    if (this.len === this.buf.length) {
      const nb = new Uint8Array(this.buf.length * 2);
      nb.set(this.buf);
      this.buf = nb;
    }
    this.buf[this.len++] = b;
  }
  word(w: number): void { this.byte(w >>> 8); this.byte(w & 0xff); }
  bytes(a: ArrayLike<number>): void { for (let i = 0; i < a.length; i++) this.byte(a[i]); }
  bits(value: number, n: number): void {
    // n <= 16; acc holds < 8 pending bits
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.nbits += n;
    while (this.nbits >= 8) {
      const b = (this.acc >>> (this.nbits - 8)) & 0xff;
      this.byte(b);
      if (b === 0xff) this.byte(0);
      this.nbits -= 8;
    }
    this.acc &= (1 << this.nbits) - 1;
  }
  flushOnes(): void { if (this.nbits > 0) this.bits(0x7f, 8 - this.nbits); }
}

/** A Huffman table as in a DHT segment: BITS (codes per length 1..16) and HUFFVAL. */
export interface HuffmanSpec {
  bits: readonly number[];
  vals: readonly number[];
}

const TYPICAL_DC: HuffmanSpec = { bits: DC_BITS, vals: DC_VALS };
const TYPICAL_AC: HuffmanSpec = { bits: AC_BITS, vals: AC_VALS };

/**
 * The optimal table for symbol frequencies freq[0..255] (T.81 Annex K.2, Figures K.1, K.3, K.4;
 * ties broken as libjpeg's jpeg_gen_optimal_table does). Symbols with frequency 0 get no code.
 */
export function optimalHuffman(freqIn: ArrayLike<number>): HuffmanSpec {
  const freq = new Float64Array(257);
  for (let i = 0; i < 256; i++) freq[i] = freqIn[i] ?? 0;
  freq[256] = 1; // reserved: no code of all ones (Figure K.1 note)
  const codesize = new Int32Array(257);
  const others = new Int32Array(257).fill(-1);
  for (;;) {
    // V1: least frequency > 0 (the larger symbol on ties), V2: the next least
    let v1 = -1;
    let v = Infinity;
    for (let i = 0; i <= 256; i++) if (freq[i] > 0 && freq[i] <= v) { v = freq[i]; v1 = i; }
    let v2 = -1;
    v = Infinity;
    for (let i = 0; i <= 256; i++) if (freq[i] > 0 && freq[i] <= v && i !== v1) { v = freq[i]; v2 = i; }
    if (v2 < 0) break;
    freq[v1] += freq[v2];
    freq[v2] = 0;
    codesize[v1]++;
    while (others[v1] >= 0) { v1 = others[v1]; codesize[v1]++; }
    others[v1] = v2;
    codesize[v2]++;
    while (others[v2] >= 0) { v2 = others[v2]; codesize[v2]++; }
  }
  const bits = new Int32Array(33);
  for (let i = 0; i <= 256; i++) if (codesize[i]) bits[codesize[i]]++;
  // Figure K.3: no code longer than 16 bits
  for (let i = 32; i > 16; i--) {
    while (bits[i] > 0) {
      let j = i - 2;
      while (bits[j] === 0) j--;
      bits[i] -= 2;
      bits[i - 1]++;
      bits[j + 1] += 2;
      bits[j]--;
    }
  }
  let i = 16;
  while (bits[i] === 0) i--;
  bits[i]--; // drop the reserved codepoint (the longest code)
  // Figure K.4: symbols by code length, then by value
  const vals: number[] = [];
  for (let len = 1; len <= 32; len++) for (let j = 0; j < 256; j++) if (codesize[j] === len) vals.push(j);
  return { bits: Array.from(bits.subarray(1, 17)), vals };
}

function writeHeader(s: Sink, width: number, height: number, qt: Int32Array, dc: HuffmanSpec = TYPICAL_DC, ac: HuffmanSpec = TYPICAL_AC): void {
  s.word(0xffd8); // SOI
  s.word(0xffdb); s.word(67); s.byte(0); // DQT, 8-bit table 0
  for (let k = 0; k < 64; k++) s.byte(qt[ZIGZAG[k]]);
  s.word(0xffc0); s.word(11); s.byte(8); s.word(height); s.word(width); s.byte(1); // SOF0, 1 component
  s.byte(1); s.byte(0x11); s.byte(0); // component 1, 1x1 sampling, table 0
  s.word(0xffc4); s.word(2 + 17 + dc.vals.length); s.byte(0x00); s.bytes(dc.bits); s.bytes(dc.vals);
  s.word(0xffc4); s.word(2 + 17 + ac.vals.length); s.byte(0x10); s.bytes(ac.bits); s.bytes(ac.vals);
  s.word(0xffda); s.word(8); s.byte(1); s.byte(1); s.byte(0x00); s.byte(0); s.byte(63); s.byte(0); // SOS
}

/** The header bytes (SOI .. SOS) for a width x height image at this quality. */
export function grayJpegHeader(width: number, height: number, quality: number): Uint8Array {
  const s = new Sink();
  writeHeader(s, width, height, tablesFor(quality).qt);
  return s.buf.slice(0, s.len);
}

function category(v: number): number {
  let a = v < 0 ? -v : v;
  let n = 0;
  while (a) { n++; a >>= 1; }
  return n;
}

export type HuffmanMode = 'typical' | 'optimal';

export interface GrayJpegOptions {
  /** 'typical' (T.81 Tables K.3/K.5, default) or 'optimal' (Annex K.2 tables for this image). */
  huffman?: HuffmanMode;
}

/** Quantized zigzag coefficients of every 8x8 block (row-major block order), AC clamped to +-1023. */
function quantizedBlocks(gray: Uint8Array, width: number, height: number, fdtbl: Float64Array): Int16Array {
  const bw = Math.ceil(width / 8);
  const bh = Math.ceil(height / 8);
  const out = new Int16Array(bw * bh * 64);
  const blk = new Float64Array(64);
  let b = 0;
  for (let by = 0; by < height; by += 8) {
    for (let bx = 0; bx < width; bx += 8, b++) {
      for (let r = 0; r < 8; r++) {
        const row = Math.min(by + r, height - 1) * width;
        for (let c = 0; c < 8; c++) blk[r * 8 + c] = gray[row + Math.min(bx + c, width - 1)] - 128;
      }
      fdct8x8(blk);
      for (let k = 0; k < 64; k++) {
        const i = ZIGZAG[k];
        let v = Math.round(blk[i] * fdtbl[i]);
        if (k > 0) { if (v > 1023) v = 1023; else if (v < -1023) v = -1023; } // 8-bit baseline AC range
        out[b * 64 + k] = v;
      }
    }
  }
  return out;
}

/**
 * Walk the scan's symbols: dc(category, diff) per block, ac(symbol, value, size) per AC symbol
 * (ZRL 0xF0 and EOB 0x00 included, value unused for them). One walk counts, another writes.
 */
function walkScan(coefs: Int16Array, dc: (cat: number, diff: number) => void, ac: (sym: number, v: number, cat: number) => void): void {
  let prevDc = 0;
  for (let base = 0; base < coefs.length; base += 64) {
    const diff = coefs[base] - prevDc;
    prevDc = coefs[base];
    dc(category(diff), diff);
    let last = 63;
    while (last > 0 && coefs[base + last] === 0) last--;
    let run = 0;
    for (let k = 1; k <= last; k++) {
      const v = coefs[base + k];
      if (v === 0) { run++; continue; }
      while (run > 15) { ac(0xf0, 0, 0); run -= 16; }
      const cat = category(v);
      ac((run << 4) | cat, v, cat);
      run = 0;
    }
    if (last < 63) ac(0x00, 0, 0);
  }
}

/** Encode a grayscale image (row-major bytes) as a baseline JPEG file. Quality must be 1..100. */
export function encodeGrayJpeg(gray: Uint8Array, width: number, height: number, quality: number, options: GrayJpegOptions = {}): Uint8Array {
  if (!(width >= 1 && height >= 1 && width <= 65535 && height <= 65535)) throw new RangeError(`image ${width}x${height} cannot be a JPEG`);
  if (gray.length !== width * height) throw new RangeError(`gray image has ${gray.length} pixels, expected ${width}x${height}`);
  const huffman = options.huffman ?? 'typical';
  if (huffman !== 'typical' && huffman !== 'optimal') throw new RangeError(`huffman ${JSON.stringify(huffman)}: use typical or optimal`);
  const { qt, fdtbl } = tablesFor(quality);
  const coefs = quantizedBlocks(gray, width, height, fdtbl);
  let dcSpec = TYPICAL_DC;
  let acSpec = TYPICAL_AC;
  let dcT = DC;
  let acT = AC;
  if (huffman === 'optimal') {
    // pass 1: symbol statistics; then the tables of Annex K.2
    const dcFreq = new Float64Array(256);
    const acFreq = new Float64Array(256);
    walkScan(coefs, (cat) => { dcFreq[cat]++; }, (sym) => { acFreq[sym]++; });
    dcSpec = optimalHuffman(dcFreq);
    acSpec = optimalHuffman(acFreq);
    dcT = huffmanCodes(dcSpec.bits as number[], dcSpec.vals as number[]);
    acT = huffmanCodes(acSpec.bits as number[], acSpec.vals as number[]);
  }
  const s = new Sink();
  s.buf = new Uint8Array(Math.max(4096, gray.length >> 1));
  writeHeader(s, width, height, qt, dcSpec, acSpec);
  walkScan(coefs,
    (cat, diff) => {
      s.bits(dcT.code[cat], dcT.size[cat]);
      if (cat) s.bits(diff < 0 ? diff + (1 << cat) - 1 : diff, cat);
    },
    (sym, v, cat) => {
      s.bits(acT.code[sym], acT.size[sym]);
      if (cat) s.bits(v < 0 ? v + (1 << cat) - 1 : v, cat);
    });
  s.flushOnes();
  s.word(0xffd9); // EOI
  return s.buf.slice(0, s.len);
}
