/**
 * The C planes of an HWC feature tiled into one grayscale image, so a standard image codec sees
 * spatially coherent content (as in feature-compression work that feeds features to JPEG/HEVC).
 *
 * Grid rule: among exact factorizations rows x cols = C, the one whose image (rows*H x cols*W) is
 * closest to square; if even that is more than 4:1, a near-square grid with cols = ceil(sqrt(C*H/W))
 * and the unused tiles filled with 0. Channel c sits at tile (floor(c / cols), c % cols), row-major.
 * With H and W multiples of 8 every tile is made of whole JPEG blocks.
 */
export interface MosaicLayout {
  readonly height: number; // tile height = feature H
  readonly width: number; // tile width = feature W
  readonly channels: number;
  readonly rows: number;
  readonly cols: number;
  /** Image size in pixels. */
  readonly imageHeight: number;
  readonly imageWidth: number;
}

export function mosaicLayout(shape: readonly [number, number, number]): MosaicLayout {
  const [H, W, C] = shape;
  let best: [number, number] | undefined;
  let bestAspect = Infinity;
  for (let rows = 1; rows <= C; rows++) {
    if (C % rows) continue;
    const cols = C / rows;
    const aspect = Math.abs(Math.log((cols * W) / (rows * H)));
    if (aspect < bestAspect - 1e-12) { bestAspect = aspect; best = [rows, cols]; }
  }
  let [rows, cols] = best ?? [1, 1];
  if (bestAspect > Math.log(4)) {
    cols = Math.max(1, Math.ceil(Math.sqrt((C * H) / W)));
    rows = Math.ceil(C / cols);
  }
  return { height: H, width: W, channels: C, rows, cols, imageHeight: rows * H, imageWidth: cols * W };
}

/** HWC bytes -> grayscale mosaic (row-major, imageHeight x imageWidth). */
export function toMosaic(q: Uint8Array, L: MosaicLayout, out = new Uint8Array(L.imageHeight * L.imageWidth)): Uint8Array {
  const { height: H, width: W, channels: C, cols, imageWidth: IW } = L;
  out.fill(0);
  for (let c = 0; c < C; c++) {
    const oy = Math.floor(c / cols) * H;
    const ox = (c % cols) * W;
    for (let y = 0; y < H; y++) {
      const row = (oy + y) * IW + ox;
      const src = y * W * C + c;
      for (let x = 0; x < W; x++) out[row + x] = q[src + x * C];
    }
  }
  return out;
}

/** Grayscale mosaic -> HWC bytes. */
export function fromMosaic(img: Uint8Array, L: MosaicLayout, out = new Uint8Array(L.height * L.width * L.channels)): Uint8Array {
  const { height: H, width: W, channels: C, cols, imageWidth: IW } = L;
  for (let c = 0; c < C; c++) {
    const oy = Math.floor(c / cols) * H;
    const ox = (c % cols) * W;
    for (let y = 0; y < H; y++) {
      const row = (oy + y) * IW + ox;
      const dst = y * W * C + c;
      for (let x = 0; x < W; x++) out[dst + x * C] = img[row + x];
    }
  }
  return out;
}
