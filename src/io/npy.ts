/**
 * NumPy `.npy` files (format versions 1.0, 2.0, 3.0), so Python users can feed real D1 features in
 * and read results out. Spec: numpy.lib.format (NEP 1).
 *
 * Read: float32, float16 (converted to float32), float64, uint8, int8, bool, (u)int16, (u)int32,
 * little- or big-endian, C order only. Write: float32, float16, float64, uint8, int8, (u)int16,
 * (u)int32, little-endian, version 1.0 (2.0 when the header needs it), written atomically.
 * Every malformed or unsupported file is a UsageError naming the file and what is allowed.
 */
import { readFileSync, writeFileSync, renameSync, unlinkSync } from 'node:fs';
import { UsageError } from '../core/errors.js';

export type NpyDtype =
  | 'float32' | 'float16' | 'float64'
  | 'uint8' | 'int8' | 'bool'
  | 'uint16' | 'int16' | 'uint32' | 'int32';

export type NpyData = Float32Array | Float64Array | Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array;

export interface NpyArray {
  /** The values in C (row-major) order; float16 files come back as Float32Array. */
  data: NpyData;
  shape: number[];
  /** The dtype stored in the file. */
  dtype: NpyDtype;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** descr kind+size -> dtype. */
const KINDS: Record<string, NpyDtype> = {
  f4: 'float32', f2: 'float16', f8: 'float64',
  u1: 'uint8', i1: 'int8', b1: 'bool',
  u2: 'uint16', i2: 'int16', u4: 'uint32', i4: 'int32',
};
const ITEMSIZE: Record<NpyDtype, number> = {
  float32: 4, float16: 2, float64: 8, uint8: 1, int8: 1, bool: 1, uint16: 2, int16: 2, uint32: 4, int32: 4,
};
const DESCR: Record<NpyDtype, string> = {
  float32: '<f4', float16: '<f2', float64: '<f8', uint8: '|u1', int8: '|i1', bool: '|b1',
  uint16: '<u2', int16: '<i2', uint32: '<u4', int32: '<i4',
};
const SUPPORTED = 'float32, float16, float64, uint8, int8, bool, (u)int16, (u)int32 in C order';

/** Read a .npy file from a path or from its bytes. */
export function readNpy(source: string | Uint8Array): NpyArray {
  const name = typeof source === 'string' ? source : '<buffer>';
  let buf: Uint8Array;
  if (typeof source === 'string') {
    try {
      buf = readFileSync(source);
    } catch (e) {
      throw new UsageError(`cannot read .npy file ${JSON.stringify(source)}: ${(e as Error).message}`);
    }
  } else {
    buf = source;
  }
  const bad = (why: string): never => {
    throw new UsageError(`.npy file ${JSON.stringify(name)} is not usable: ${why}`);
  };
  if (buf.length < 10 || MAGIC.some((b, i) => buf[i] !== b)) bad('no \\x93NUMPY magic (not a .npy file)');
  const major = buf[6];
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = buf[8] | (buf[9] << 8);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (buf.length < 12) bad('truncated header');
    headerLen = (buf[8] | (buf[9] << 8) | (buf[10] << 16)) + buf[11] * 16777216;
    headerStart = 12;
  } else {
    return bad(`format version ${major}.${buf[7]} (allowed: 1.0, 2.0, 3.0)`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > buf.length) bad(`truncated header (needs ${dataStart} bytes, file has ${buf.length})`);
  const header = Buffer.from(buf.buffer, buf.byteOffset + headerStart, headerLen).toString(major === 3 ? 'utf8' : 'latin1');
  const { descr, fortran, shape } = parseHeader(header, bad);
  const m = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const dtype = m ? KINDS[m[2] + m[3]] : undefined;
  if (!m || !dtype) return bad(`dtype ${JSON.stringify(descr)} is not supported (allowed: ${SUPPORTED})`);
  if (fortran) bad(`Fortran order is not supported (save with numpy.ascontiguousarray(a) or order='C')`);
  const itemsize = ITEMSIZE[dtype];
  const bigEndian = m[1] === '>' && itemsize > 1;
  const count = shape.reduce((a, b) => a * b, 1);
  const need = count * itemsize;
  const have = buf.length - dataStart;
  if (have < need) bad(`truncated data: shape (${shape.join(', ')}) of ${dtype} needs ${need} bytes, file has ${have}`);
  if (have > need) bad(`${have - need} bytes after the data for shape (${shape.join(', ')}) of ${dtype}`);
  // Copy into an aligned buffer (the data offset need not be a multiple of the item size).
  const bytes = new Uint8Array(need);
  bytes.set(buf.subarray(dataStart, dataStart + need));
  if (bigEndian) swapBytes(bytes, itemsize);
  return { data: fromBytes(bytes.buffer, dtype, count), shape, dtype };
}

/** Read a .npy file as float32 values (any supported dtype is converted). */
export function readNpyFloat32(source: string | Uint8Array): { data: Float32Array; shape: number[]; dtype: NpyDtype } {
  const a = readNpy(source);
  const data = a.data instanceof Float32Array ? a.data : Float32Array.from(a.data as ArrayLike<number>);
  return { data, shape: a.shape, dtype: a.dtype };
}

/** Encode an array as .npy bytes (little-endian, C order). `dtype` defaults to the array's own type. */
export function encodeNpy(data: NpyData | ArrayLike<number>, shape: readonly number[], dtype?: NpyDtype): Uint8Array {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new UsageError(`npy shape (${shape.join(', ')}) is not allowed: use non-negative integers`);
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== data.length) {
    throw new UsageError(`npy shape (${shape.join(', ')}) holds ${count} values but the data has ${data.length}`);
  }
  const dt = dtype ?? dtypeOf(data);
  if (!(dt in ITEMSIZE)) throw new UsageError(`npy dtype ${JSON.stringify(dt)} is not allowed: use ${Object.keys(ITEMSIZE).join(', ')}`);
  const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${DESCR[dt]}', 'fortran_order': False, 'shape': ${shapeStr}, }`;
  // Pad so that magic + version + length + header + '\n' is a multiple of 64 (alignment rule).
  let version = 1;
  let pre = 10;
  let total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  if (total - pre > 65535) {
    version = 2;
    pre = 12;
    total = Math.ceil((pre + dict.length + 1) / 64) * 64;
  }
  dict = dict.padEnd(total - pre - 1, ' ') + '\n';
  const itemsize = ITEMSIZE[dt];
  const out = new Uint8Array(total + count * itemsize);
  out.set(MAGIC, 0);
  out[6] = version;
  out[7] = 0;
  const hl = dict.length;
  if (version === 1) {
    out[8] = hl & 0xff; out[9] = hl >>> 8;
  } else {
    new DataView(out.buffer).setUint32(8, hl, true);
  }
  for (let i = 0; i < hl; i++) out[pre + i] = dict.charCodeAt(i);
  const body = new Uint8Array(out.buffer, total);
  const typed = toTyped(data, dt, count);
  body.set(new Uint8Array(typed.buffer, typed.byteOffset, count * itemsize));
  if (!littleEndianHost() && itemsize > 1) swapBytes(body, itemsize);
  return out;
}

/** Write a .npy file atomically (temporary file, then rename). */
export function writeNpy(path: string, data: NpyData | ArrayLike<number>, shape: readonly number[], dtype?: NpyDtype): void {
  const bytes = encodeNpy(data, shape, dtype);
  const tmp = `${path}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, path);
  } catch (e) {
    try { unlinkSync(tmp); } catch { /* nothing left to remove */ }
    throw e;
  }
}

function parseHeader(header: string, bad: (why: string) => never): { descr: string; fortran: boolean; shape: number[] } {
  const h = header.trim();
  if (!h.startsWith('{') || !h.endsWith('}')) bad(`bad header ${JSON.stringify(h.slice(0, 80))}`);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(h);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(h);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(h);
  if (!descr || !fortran || !shape) bad(`bad header ${JSON.stringify(h.slice(0, 80))} (needs descr, fortran_order, shape)`);
  const dims = shape![1].split(',').map((t) => t.trim()).filter((t) => t.length > 0);
  const out: number[] = [];
  for (const d of dims) {
    const v = /^\d+L?$/.test(d) ? Number(d.replace('L', '')) : NaN;
    if (!Number.isSafeInteger(v)) bad(`bad shape (${shape![1]}) in the header`);
    out.push(v);
  }
  return { descr: descr![1], fortran: fortran![1] === 'True', shape: out };
}

function fromBytes(ab: ArrayBuffer, dtype: NpyDtype, count: number): NpyData {
  switch (dtype) {
    case 'float32': return new Float32Array(ab, 0, count);
    case 'float64': return new Float64Array(ab, 0, count);
    case 'float16': {
      const h = new Uint16Array(ab, 0, count);
      const f = new Float32Array(count);
      for (let i = 0; i < count; i++) f[i] = halfToFloat(h[i]);
      return f;
    }
    case 'uint8': case 'bool': return new Uint8Array(ab, 0, count);
    case 'int8': return new Int8Array(ab, 0, count);
    case 'uint16': return new Uint16Array(ab, 0, count);
    case 'int16': return new Int16Array(ab, 0, count);
    case 'uint32': return new Uint32Array(ab, 0, count);
    case 'int32': return new Int32Array(ab, 0, count);
  }
}

function dtypeOf(data: NpyData | ArrayLike<number>): NpyDtype {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Uint8Array) return 'uint8';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int32Array) return 'int32';
  return 'float64';
}

function toTyped(data: ArrayLike<number>, dt: NpyDtype, count: number): NpyData {
  switch (dt) {
    case 'float32': return data instanceof Float32Array ? data : Float32Array.from(data);
    case 'float64': return data instanceof Float64Array ? data : Float64Array.from(data);
    case 'float16': {
      const h = new Uint16Array(count);
      for (let i = 0; i < count; i++) h[i] = floatToHalf(data[i]);
      return h;
    }
    case 'uint8': return data instanceof Uint8Array ? data : Uint8Array.from(data);
    case 'bool': return Uint8Array.from(data, (v) => (v ? 1 : 0));
    case 'int8': return data instanceof Int8Array ? data : Int8Array.from(data);
    case 'uint16': return data instanceof Uint16Array ? data : Uint16Array.from(data);
    case 'int16': return data instanceof Int16Array ? data : Int16Array.from(data);
    case 'uint32': return data instanceof Uint32Array ? data : Uint32Array.from(data);
    case 'int32': return data instanceof Int32Array ? data : Int32Array.from(data);
  }
}

function swapBytes(b: Uint8Array, size: number): void {
  for (let i = 0; i + size <= b.length; i += size) {
    for (let a = i, z = i + size - 1; a < z; a++, z--) {
      const t = b[a]; b[a] = b[z]; b[z] = t;
    }
  }
}

let hostLE: boolean | undefined;
function littleEndianHost(): boolean {
  if (hostLE === undefined) hostLE = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  return hostLE;
}

/** IEEE 754 binary16 -> number. */
export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >>> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24; // subnormal
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** number -> IEEE 754 binary16, round to nearest even (via the float32 bits). */
export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0];
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00; // overflow -> Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow -> 0
    mant |= 0x800000; // implicit 1
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++; // may carry into the exponent: still correct
  e = h >>> 10;
  return sign | (e >= 31 ? 0x7c00 : h);
}
