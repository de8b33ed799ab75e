/**
 * One image of the synthetic shapes data set: a random scene (background texture, 1..maxObjects
 * shapes of 6 classes with random size, colour, rotation and shading, later shapes occluding
 * earlier ones) rendered to RGB with anti-aliased edges, plus the visible mask of every instance.
 *
 * Everything is drawn from the `Rng` passed in, so a scene is a pure function of (seed, stream ids).
 * An instance whose visible part is under half its own area (or under MIN_VISIBLE_PIXELS) is
 * removed from the scene before rendering, so every drawn shape is annotated and every annotated
 * shape is mostly visible. A pixel belongs to a shape's mask when at least 2 of its 4 sub-samples
 * fall inside; the topmost such shape owns it.
 */
import type { Rng } from '../core/rng.js';

export const SHAPE_CLASSES = ['circle', 'square', 'triangle', 'star', 'cross', 'ellipse'] as const;
export type ShapeClass = (typeof SHAPE_CLASSES)[number];

/** Smallest visible area (pixels at 128x128, scaled with the image area) an instance must keep. */
export const MIN_VISIBLE_PIXELS = 40;
/** Fraction of its own area an instance must keep visible. */
export const MIN_VISIBLE_FRACTION = 0.5;

export interface SceneOptions {
  size: number;
  maxObjects: number;
}

export interface Instance {
  /** Label 1..6 (index into SHAPE_CLASSES plus 1). */
  label: number;
  /** Row-major visible mask (0/1), size x size. */
  mask: Uint8Array;
  /** Visible pixels. */
  area: number;
  /** Tight box of the visible pixels: [x, y, w, h]. */
  bbox: [number, number, number, number];
}

export interface RenderedScene {
  /** HWC RGB in [0, 1]. */
  image: Float32Array;
  instances: Instance[];
}

interface Shape {
  label: number;
  cx: number;
  cy: number;
  r: number;
  cos: number;
  sin: number;
  aspect: number;
  color: [number, number, number];
  /** Shading along a local direction: colour * (1 + shade * u). */
  shade: number;
  /** Stripe texture: period in local units (0 = none) and depth. */
  stripe: number;
  stripeDepth: number;
  /** Pixel range the shape can touch (clipped to the image), inclusive. */
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

// Unit-radius polygons (local frame, y down), built once.
const TRIANGLE = regularPolygon(3, 1, -Math.PI / 2);
const STAR = (() => {
  const p: number[] = [];
  for (let i = 0; i < 10; i++) {
    const a = -Math.PI / 2 + (i * Math.PI) / 5;
    const rad = i % 2 === 0 ? 1 : 0.45;
    p.push(rad * Math.cos(a), rad * Math.sin(a));
  }
  return p;
})();

function regularPolygon(n: number, rad: number, a0: number): number[] {
  const p: number[] = [];
  for (let i = 0; i < n; i++) p.push(rad * Math.cos(a0 + (2 * Math.PI * i) / n), rad * Math.sin(a0 + (2 * Math.PI * i) / n));
  return p;
}

function inPolygon(p: readonly number[], u: number, v: number): boolean {
  let inside = false;
  const n = p.length >> 1;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const yi = p[2 * i + 1], yj = p[2 * j + 1];
    if ((yi > v) !== (yj > v) && u < p[2 * i] + ((v - yi) * (p[2 * j] - p[2 * i])) / (yj - yi)) inside = !inside;
  }
  return inside;
}

/** Is the local point (u, v) (units of the shape's radius) inside a shape of this label? */
function insideLocal(label: number, u: number, v: number, aspect: number): boolean {
  switch (label) {
    case 1: return u * u + v * v <= 0.81; // circle, radius 0.9
    case 2: return Math.abs(u) <= 0.75 && Math.abs(v) <= 0.75; // square
    case 3: return inPolygon(TRIANGLE, u, v);
    case 4: return inPolygon(STAR, u, v);
    case 5: { const au = Math.abs(u), av = Math.abs(v); return (au <= 0.28 && av <= 0.95) || (av <= 0.28 && au <= 0.95); }
    case 6: { const w = v / aspect; return u * u + w * w <= 1; } // ellipse, semi-axes 1 and aspect
    default: throw new RangeError(`shape label ${label}`);
  }
}

const SUB = [0.25, 0.75]; // 2x2 sub-samples per pixel

/** Coverage (0..4 sub-samples inside) of one shape over the image, restricted to its bounding square. */
function coverage(s: Shape, size: number, out: Uint8Array): void {
  const { x0, x1, y0, y1 } = s;
  const inv = 1 / s.r;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      let n = 0;
      for (const oy of SUB) {
        const dy = (y + oy - s.cy) * inv;
        for (const ox of SUB) {
          const dx = (x + ox - s.cx) * inv;
          // Rotate into the shape's frame.
          const u = dx * s.cos + dy * s.sin;
          const v = -dx * s.sin + dy * s.cos;
          if (insideLocal(s.label, u, v, s.aspect)) n++;
        }
      }
      out[y * size + x] = n;
    }
  }
}

function randomColor(rng: Rng): [number, number, number] {
  return [rng.uniform(), rng.uniform(), rng.uniform()];
}

/** Fill `img` with one of four background textures; returns the std of its own noise (added later). */
function renderBackground(rng: Rng, size: number, img: Float32Array): number {
  const kind = rng.int(4);
  const c1 = randomColor(rng);
  const c2 = randomColor(rng);
  const angle = 2 * Math.PI * rng.uniform();
  const ca = Math.cos(angle), sa = Math.sin(angle);
  if (kind === 1) {
    // Value noise: a coarse grid of random colours, bilinearly interpolated.
    const g = 3 + rng.int(6);
    const grid = new Float32Array((g + 1) * (g + 1) * 3);
    for (let i = 0; i < grid.length; i += 3) {
      const t = rng.uniform();
      for (let k = 0; k < 3; k++) grid[i + k] = c1[k] + (c2[k] - c1[k]) * t;
    }
    const step = size / g;
    for (let y = 0; y < size; y++) {
      const gy = y / step, iy = Math.min(g - 1, Math.floor(gy)), fy = gy - iy;
      for (let x = 0; x < size; x++) {
        const gx = x / step, ix = Math.min(g - 1, Math.floor(gx)), fx = gx - ix;
        const a = (iy * (g + 1) + ix) * 3, b = a + 3, c = a + (g + 1) * 3, d = c + 3;
        const o = (y * size + x) * 3;
        for (let k = 0; k < 3; k++) {
          const top = grid[a + k] + (grid[b + k] - grid[a + k]) * fx;
          const bot = grid[c + k] + (grid[d + k] - grid[c + k]) * fx;
          img[o + k] = top + (bot - top) * fy;
        }
      }
    }
  } else {
    const period = 6 + 18 * rng.uniform();
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const p = x * ca + y * sa;
        const q = -x * sa + y * ca;
        let t: number;
        if (kind === 0) t = Math.min(1, Math.max(0, p / (size * 1.42) + 0.5)); // linear gradient
        else if (kind === 2) t = 0.5 + 0.5 * Math.sin((2 * Math.PI * p) / period); // soft stripes
        else t = (Math.floor(p / period) + Math.floor(q / period)) & 1; // checker
        const o = (y * size + x) * 3;
        for (let k = 0; k < 3; k++) img[o + k] = c1[k] + (c2[k] - c1[k]) * t;
      }
    }
  }
  return 0.06 * rng.uniform();
}

function meanColor(img: Float32Array, size: number, s: Shape): [number, number, number] {
  const { x0, x1, y0, y1 } = s;
  const m: [number, number, number] = [0, 0, 0];
  let n = 0;
  for (let y = y0; y <= y1; y += 2) {
    for (let x = x0; x <= x1; x += 2) {
      const o = (y * size + x) * 3;
      m[0] += img[o]; m[1] += img[o + 1]; m[2] += img[o + 2]; n++;
    }
  }
  return n > 0 ? [m[0] / n, m[1] / n, m[2] / n] : [0.5, 0.5, 0.5];
}

/** A colour far enough (RGB distance >= 0.35) from the local background; the farthest of 12 tries otherwise. */
function contrastingColor(rng: Rng, bg: [number, number, number]): [number, number, number] {
  let best = randomColor(rng);
  let bestD = -1;
  for (let t = 0; t < 12; t++) {
    const c = t === 0 ? best : randomColor(rng);
    const d = Math.hypot(c[0] - bg[0], c[1] - bg[1], c[2] - bg[2]);
    if (d > bestD) { best = c; bestD = d; }
    if (d >= 0.35) break;
  }
  return best;
}

function randomShape(rng: Rng, size: number): Shape {
  const label = 1 + rng.int(SHAPE_CLASSES.length);
  const r = size * (0.08 + 0.2 * rng.uniform());
  // Centre so that at least ~70% of the radius lies inside on each side.
  const m = 0.3 * r;
  const cx = m + (size - 2 * m) * rng.uniform();
  const cy = m + (size - 2 * m) * rng.uniform();
  const theta = 2 * Math.PI * rng.uniform();
  const aspect = 0.4 + 0.25 * rng.uniform();
  const shade = 0.5 * (rng.uniform() - 0.5);
  const striped = rng.uniform() < 0.25;
  const stripe = striped ? 0.25 + 0.35 * rng.uniform() : 0;
  const stripeDepth = striped ? 0.2 + 0.3 * rng.uniform() : 0;
  const ext = 1.1 * r; // every shape fits in radius 1.07 (square corners)
  const x0 = Math.max(0, Math.floor(cx - ext)), x1 = Math.min(size - 1, Math.ceil(cx + ext));
  const y0 = Math.max(0, Math.floor(cy - ext)), y1 = Math.min(size - 1, Math.ceil(cy + ext));
  return { label, cx, cy, r, cos: Math.cos(theta), sin: Math.sin(theta), aspect, color: [0, 0, 0], shade, stripe, stripeDepth, x0, x1, y0, y1 };
}

/** Generate and render one scene from `rng`. */
export function renderScene(rng: Rng, options: SceneOptions): RenderedScene {
  const { size, maxObjects } = options;
  const npx = size * size;
  const img = new Float32Array(npx * 3);
  const sigmaBg = renderBackground(rng, size, img);

  const nObj = 1 + rng.int(maxObjects);
  const shapes: Shape[] = [];
  const cov: Uint8Array[] = [];
  for (let k = 0; k < nObj; k++) {
    const s = randomShape(rng, size);
    s.color = contrastingColor(rng, meanColor(img, size, s));
    shapes.push(s);
    const c = new Uint8Array(npx);
    coverage(s, size, c);
    cov.push(c);
  }

  // Visibility: drop mostly hidden shapes until every remaining one keeps enough of itself.
  const minPixels = MIN_VISIBLE_PIXELS * (npx / (128 * 128));
  const full = cov.map((c, k) => {
    const s = shapes[k];
    let a = 0;
    for (let y = s.y0; y <= s.y1; y++) for (let i = y * size + s.x0; i <= y * size + s.x1; i++) if (c[i] >= 2) a++;
    return a;
  });
  const alive = shapes.map(() => true);
  const top = new Int8Array(npx);
  const visible = new Int32Array(nObj);
  for (;;) {
    top.fill(-1);
    for (let k = 0; k < nObj; k++) {
      if (!alive[k]) continue;
      const c = cov[k];
      const s = shapes[k];
      for (let y = s.y0; y <= s.y1; y++) for (let i = y * size + s.x0; i <= y * size + s.x1; i++) if (c[i] >= 2) top[i] = k;
    }
    visible.fill(0);
    for (let i = 0; i < npx; i++) if (top[i] >= 0) visible[top[i]]++;
    let dropped = false;
    for (let k = 0; k < nObj; k++) {
      if (alive[k] && (visible[k] < MIN_VISIBLE_FRACTION * full[k] || visible[k] < minPixels)) { alive[k] = false; dropped = true; }
    }
    if (!dropped) break;
  }

  // Composite the surviving shapes in order with anti-aliased coverage; `occ` = how much of a
  // pixel is covered by shapes, which hides the background's own noise.
  const occ = new Float32Array(npx);
  for (let k = 0; k < nObj; k++) {
    if (!alive[k]) continue;
    const s = shapes[k];
    const c = cov[k];
    const inv = 1 / s.r;
    for (let y = s.y0; y <= s.y1; y++) for (let x = s.x0; x <= s.x1; x++) {
      const i = y * size + x;
      const n = c[i];
      if (n === 0) continue;
      const dx = (x + 0.5 - s.cx) * inv, dy = (y + 0.5 - s.cy) * inv;
      const u = dx * s.cos + dy * s.sin;
      const v = -dx * s.sin + dy * s.cos;
      let f = 1 + s.shade * u;
      if (s.stripe > 0 && Math.floor(v / s.stripe) & 1) f *= 1 - s.stripeDepth;
      const a = n / 4;
      const o = i * 3;
      for (let ch = 0; ch < 3; ch++) img[o + ch] += (s.color[ch] * f - img[o + ch]) * a;
      occ[i] += (1 - occ[i]) * a;
    }
  }

  // Noise in one draw: background texture noise where no shape covers the pixel, plus sensor noise
  // everywhere (independent Gaussians add in variance). Then clamp.
  const sigma = 0.005 + 0.025 * rng.uniform();
  const noise = rng.fillGaussian(new Float32Array(npx * 3), 1);
  const s2 = sigma * sigma;
  for (let i = 0; i < npx; i++) {
    const b = sigmaBg * (1 - occ[i]);
    const sd = Math.sqrt(s2 + b * b);
    for (let ch = 0, o = 3 * i; ch < 3; ch++, o++) {
      const v = img[o] + sd * noise[o];
      img[o] = v < 0 ? 0 : v > 1 ? 1 : v;
    }
  }

  const instances: Instance[] = [];
  for (let k = 0; k < nObj; k++) {
    if (!alive[k]) continue;
    const mask = new Uint8Array(npx);
    const s = shapes[k];
    let x0 = size, y0 = size, x1 = -1, y1 = -1;
    for (let y = s.y0; y <= s.y1; y++) for (let x = s.x0; x <= s.x1; x++) {
      const i = y * size + x;
      if (top[i] !== k) continue;
      mask[i] = 1;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    instances.push({ label: shapes[k].label, mask, area: visible[k], bbox: [x0, y0, x1 - x0 + 1, y1 - y0 + 1] });
  }
  return { image: img, instances };
}
