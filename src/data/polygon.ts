/**
 * Polygon rasterization for COCO `segmentation` polygons ([x1, y1, x2, y2, ...] in pixel
 * coordinates, pixel (row y, col x) covering [x, x+1) x [y, y+1)). A pixel belongs to the polygon
 * when its centre (x + 0.5, y + 0.5) is inside by the even-odd rule; several polygons of one
 * annotation are painted one after the other (union). pycocotools rasterizes by its own edge
 * tracing at 5x resolution, so masks can differ from it by a pixel along edges.
 */

/** Paint `value` into the row-major `out` (height x width) wherever the polygon covers a pixel centre. */
export function polygonPaint(poly: readonly number[], height: number, width: number, out: Uint8Array, value: number): void {
  const n = poly.length >> 1;
  if (poly.length % 2 !== 0 || n < 3) throw new RangeError(`a polygon needs an even number >= 6 of coordinates, got ${poly.length}`);
  for (const v of poly) if (!Number.isFinite(v)) throw new RangeError(`polygon coordinate ${v} is not a finite number`);
  let ymin = Infinity;
  let ymax = -Infinity;
  for (let i = 0; i < n; i++) { ymin = Math.min(ymin, poly[2 * i + 1]); ymax = Math.max(ymax, poly[2 * i + 1]); }
  const r0 = Math.max(0, Math.ceil(ymin - 0.5));
  const r1 = Math.min(height - 1, Math.floor(ymax - 0.5));
  const xs: number[] = [];
  for (let r = r0; r <= r1; r++) {
    const yc = r + 0.5;
    xs.length = 0;
    for (let i = 0, j = n - 1; i < n; j = i++) {
      const xi = poly[2 * i], yi = poly[2 * i + 1], xj = poly[2 * j], yj = poly[2 * j + 1];
      // Half-open rule on y so a vertex exactly on the scanline is counted once.
      if ((yi > yc) !== (yj > yc)) xs.push(xi + ((yc - yi) * (xj - xi)) / (yj - yi));
    }
    xs.sort((a, b) => a - b);
    for (let k = 0; k + 1 < xs.length; k += 2) {
      // Pixel centres x + 0.5 in [xs[k], xs[k+1]).
      const c0 = Math.max(0, Math.ceil(xs[k] - 0.5));
      const c1 = Math.min(width - 1, Math.ceil(xs[k + 1] - 0.5) - 1);
      for (let c = c0; c <= c1; c++) out[r * width + c] = value;
    }
  }
}
