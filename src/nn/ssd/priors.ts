/**
 * SSD prior (default) boxes (Liu et al. 2016, Sec. 2.2): at scale k of m, s_k runs linearly from
 * minScale to maxScale; 4 priors per location are aspect ratios {1, 2, 1/2} plus an extra square of
 * size sqrt(s_k s_{k+1}); 6 priors add {3, 1/3}. Centres at ((x + 0.5) / f, (y + 0.5) / f).
 * Boxes are normalized centre form (cx, cy, w, h), in (y, x, prior) order per scale: the order of
 * the detection head's flattened outputs.
 */
export interface PriorOptions {
  /** Feature-map sizes (square) per scale. */
  sizes: number[];
  /** Priors per location per scale: 4 or 6. */
  anchors: number[];
  minScale?: number;
  maxScale?: number;
  /** Explicit scale per map plus one (s_0..s_m; the extra prior of map k is sqrt(s_k s_{k+1})): overrides min/max. */
  scales?: number[];
  /** Clip priors to [0, 1] (corner form). Default true. */
  clip?: boolean;
}

/** A Float32Array of P * 4 values (cx, cy, w, h), normalized to the image size. */
export function priors(o: PriorOptions): Float32Array {
  const m = o.sizes.length;
  if (o.anchors.length !== m) throw new RangeError(`anchors has ${o.anchors.length} entries, sizes ${m}: they must match`);
  const smin = o.minScale ?? 0.1;
  const smax = o.maxScale ?? 0.9;
  if (o.scales && (o.scales.length !== m + 1 || !o.scales.every((v) => v > 0 && v <= 1.5))) {
    throw new RangeError(`prior scales ${JSON.stringify(o.scales)} are not allowed: use ${m + 1} values in (0, 1.5]`);
  }
  const scale = (k: number) => (o.scales ? o.scales[k] : m === 1 ? smin : smin + ((smax - smin) * k) / (m - 1));
  const out: number[] = [];
  for (let k = 0; k < m; k++) {
    const f = o.sizes[k];
    const a = o.anchors[k];
    if (a !== 4 && a !== 6) throw new RangeError(`anchors per location ${a} is not allowed: use 4 or 6`);
    const s = scale(k);
    const next = o.scales ? o.scales[k + 1] : k + 1 < m ? scale(k + 1) : Math.min(1, s + (smax - smin) / Math.max(1, m - 1));
    const sExtra = Math.sqrt(s * next);
    const shapes: [number, number][] = [[s, s], [sExtra, sExtra]];
    const ratios = a === 4 ? [2] : [2, 3];
    for (const r of ratios) {
      const q = Math.sqrt(r);
      shapes.push([s * q, s / q], [s / q, s * q]);
    }
    for (let y = 0; y < f; y++) {
      for (let x = 0; x < f; x++) {
        const cx = (x + 0.5) / f;
        const cy = (y + 0.5) / f;
        for (const [w, h] of shapes) out.push(cx, cy, w, h);
      }
    }
  }
  const p = Float32Array.from(out);
  if (o.clip ?? true) {
    for (let i = 0; i < p.length; i += 4) {
      const x0 = Math.max(0, p[i] - p[i + 2] / 2), x1 = Math.min(1, p[i] + p[i + 2] / 2);
      const y0 = Math.max(0, p[i + 1] - p[i + 3] / 2), y1 = Math.min(1, p[i + 1] + p[i + 3] / 2);
      p[i] = (x0 + x1) / 2; p[i + 1] = (y0 + y1) / 2; p[i + 2] = x1 - x0; p[i + 3] = y1 - y0;
    }
  }
  return p;
}
