/**
 * Data-set types shared by the readers (COCO on disk, the synthetic shapes set), the training engine
 * and the metrics. Coordinates are pixels of the image as loaded (after any resize).
 */

/** A decoded image (src/data/image.ts, png.ts). */
export interface RgbImage {
  width: number;
  height: number;
  /** HWC RGB in [0, 1]. */
  data: Float32Array;
}

/** An axis-aligned box in pixels, COCO `[x, y, w, h]` order: top-left corner, width, height. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One decoded image with its annotations. */
export interface Sample {
  /** The COCO image id. */
  id: number;
  width: number;
  height: number;
  /** HWC, RGB, values in [0, 1]; length height * width * 3. */
  image: Float32Array;
  /** One box per instance; same order as `labels`. */
  boxes: Box[];
  /** Contiguous class index 1..numClasses per box (0 is background and never appears here). */
  labels: number[];
  /** COCO `iscrowd` per box (true: a crowd region, matched but never counted by COCO AP). */
  iscrowd: boolean[];
  /** H * W semantic mask, row-major: 0 background, 1..numClasses, IGNORE_LABEL (255) = ignore. */
  segMask: Uint8Array;
}

/** The label of pixels that metrics and losses ignore. */
export const IGNORE_LABEL = 255;

/** A random-access data set: images decoded synchronously, one at a time. */
export interface Dataset {
  /** A short name for result headers (e.g. the folder name). */
  readonly name: string;
  /** Index 0 is 'background'; index i the name of contiguous label i. */
  readonly classNames: readonly string[];
  /** Number of object classes, background excluded (= classNames.length - 1). */
  readonly numClasses: number;
  /** Number of images. */
  readonly size: number;
  /** Image width and height when every sample has the same size (always after a resize), else 0. */
  readonly width: number;
  readonly height: number;
  /** COCO image id of sample `index` (cheap, no decoding). */
  imageId(index: number): number;
  /** Decode sample `index` (0 <= index < size). Throws UsageError for an unreadable image. */
  load(index: number): Sample;
}
