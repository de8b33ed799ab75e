/**
 * A reader for COCO-format detection + segmentation data on disk (COCO itself, Open Images subsets
 * converted to COCO, and the synthetic shapes set written by `jscc-sim dataset make`).
 *
 * Layout: DIR/annotations.json (or the only *.json in DIR/annotations/, or `options.annotations`),
 * images at DIR/images/<file_name>, else DIR/<file_name> (or under `options.images`). JPEG or PNG
 * (non-interlaced), recognized by content.
 *
 * Conventions (document of record; tests in test/data/coco.test.ts):
 * - Categories, sorted by id, become contiguous labels 1..K; label 0 is background.
 * - Samples are ordered by image id.
 * - Semantic mask: annotations are painted in file order, a later one over an earlier one where
 *   they overlap. Segmentation may be polygons (even-odd rule at pixel centres), uncompressed RLE
 *   (column-major, COCO) or compressed RLE strings. Crowd regions are painted with their class.
 *   An annotation without a segmentation marks its box as ignore (255), because its pixels are
 *   unknown; it never overwrites pixels of annotations with masks.
 * - Boxes may exceed the image by at most 1 pixel (rounding in converters); they are clipped to it.
 *   Zero-area boxes are dropped at load.
 * - Resize (`resize: S`): image warped to S x S (bilinear, half-pixel centres, antialiased when
 *   shrinking), mask nearest, boxes scaled by S / width and S / height.
 * - Everything is validated when the data set is opened (folder, JSON, ids, boxes, image files
 *   present), so a bad folder fails at once with one line naming the problem (UsageError).
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../core/errors.js';
import { decodeImage, resizeBilinear, resizeNearest } from './image.js';
import { polygonPaint } from './polygon.js';
import { rlePaint, type Rle } from './rle.js';
import { IGNORE_LABEL, type Box, type Dataset, type Sample } from './types.js';

export interface CocoOptions {
  /** Annotation JSON file (default: DIR/annotations.json, or the only .json in DIR/annotations/). */
  annotations?: string;
  /** Folder of the image files (default: DIR/images if it exists, else DIR). */
  images?: string;
  /** Warp every image to resize x resize pixels. */
  resize?: number;
  /** Name for result headers (default: the folder's base name). */
  name?: string;
}

interface CocoImage {
  id: number;
  file: string;
  width: number;
  height: number;
}

interface CocoAnn {
  label: number;
  box: Box;
  iscrowd: boolean;
  segmentation?: number[][] | Rle;
}

/** Tolerance (pixels) for boxes reaching past the image border. */
const BOX_TOLERANCE = 1;

/** Find the annotation file of a COCO folder. */
export function findAnnotationFile(dir: string): string {
  const direct = path.join(dir, 'annotations.json');
  if (existsSync(direct)) return direct;
  const sub = path.join(dir, 'annotations');
  if (existsSync(sub) && statSync(sub).isDirectory()) {
    const jsons = readdirSync(sub).filter((f) => f.endsWith('.json')).sort();
    if (jsons.length === 1) return path.join(sub, jsons[0]);
    if (jsons.length > 1) {
      throw new UsageError(`${sub} holds ${jsons.length} JSON files (${jsons.slice(0, 3).join(', ')}...): name one with --annotations`);
    }
  }
  throw new UsageError(`no COCO annotations in ${dir}: expected ${direct} or one .json in ${sub}`);
}

function fail(file: string, what: string): never {
  throw new UsageError(`${file}: ${what}`);
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Boxes and labels of one image without decoding it (pixels of the original image, not resized). */
export interface Targets {
  id: number;
  width: number;
  height: number;
  boxes: Box[];
  labels: number[];
  iscrowd: boolean[];
}

/** A COCO data set: a Dataset plus cheap access to the annotations. */
export interface CocoDataset extends Dataset {
  /** The annotation file read. */
  readonly annotationFile: string;
  /** Annotations of sample `index` as in the file (boxes unclipped, original size). */
  targets(index: number): Targets;
}

/** Open a COCO-format data set folder; see the file comment for the layout and conventions. */
export function openCocoDataset(dir: string, options: CocoOptions = {}): CocoDataset {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`data folder ${dir} does not exist or is not a folder`);
  const resize = options.resize;
  if (resize !== undefined && !(Number.isInteger(resize) && resize >= 1 && resize <= 8192)) {
    throw new UsageError(`resize ${resize} is not allowed: use an integer in 1..8192`);
  }
  const annFile = options.annotations ?? findAnnotationFile(dir);
  if (!existsSync(annFile)) throw new UsageError(`annotation file ${annFile} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(annFile, 'utf8'));
  } catch (e) {
    fail(annFile, `not valid JSON (${(e as Error).message})`);
  }
  const root = json as Record<string, unknown>;
  if (root === null || typeof root !== 'object' || Array.isArray(root)) fail(annFile, 'expected a JSON object with images, annotations, categories');
  for (const key of ['images', 'annotations', 'categories']) {
    if (!Array.isArray(root[key])) fail(annFile, `"${key}" is missing or not an array`);
  }
  const imageDir = options.images ?? (existsSync(path.join(dir, 'images')) ? path.join(dir, 'images') : dir);

  // Categories -> contiguous labels by ascending id.
  const cats = (root.categories as Record<string, unknown>[]).map((c, i) => {
    if (!c || !isInt(c.id)) fail(annFile, `categories[${i}] has no integer id`);
    if (typeof c.name !== 'string') fail(annFile, `categories[${i}] (id ${c.id}) has no name`);
    return { id: c.id, name: c.name };
  });
  if (cats.length === 0) fail(annFile, 'no categories');
  if (cats.length > 254) fail(annFile, `${cats.length} categories: at most 254 fit the 8-bit mask (255 = ignore)`);
  cats.sort((a, b) => a.id - b.id);
  const labelOf = new Map<number, number>();
  cats.forEach((c, i) => {
    if (labelOf.has(c.id)) fail(annFile, `category id ${c.id} appears twice`);
    labelOf.set(c.id, i + 1);
  });
  const classNames = ['background', ...cats.map((c) => c.name)];

  // Images.
  const images: CocoImage[] = [];
  const imageIndex = new Map<number, number>();
  (root.images as Record<string, unknown>[]).forEach((im, i) => {
    if (!im || !isInt(im.id)) fail(annFile, `images[${i}] has no integer id`);
    if (typeof im.file_name !== 'string' || im.file_name === '') fail(annFile, `image id ${im.id} has no file_name`);
    if (!isInt(im.width) || !isInt(im.height) || im.width < 1 || im.height < 1) {
      fail(annFile, `image id ${im.id} has width ${im.width} and height ${im.height}: positive integers are required`);
    }
    if (imageIndex.has(im.id)) fail(annFile, `image id ${im.id} appears twice`);
    imageIndex.set(im.id, -1);
    images.push({ id: im.id, file: path.resolve(imageDir, im.file_name), width: im.width, height: im.height });
  });
  images.sort((a, b) => a.id - b.id);
  images.forEach((im, i) => imageIndex.set(im.id, i));

  // Annotations, validated now.
  const anns: CocoAnn[][] = images.map(() => []);
  (root.annotations as Record<string, unknown>[]).forEach((a, i) => {
    const where = `annotation ${a && a.id !== undefined ? `id ${a.id}` : `#${i}`}`;
    if (!a || !isInt(a.image_id)) fail(annFile, `${where} has no integer image_id`);
    const idx = imageIndex.get(a.image_id);
    if (idx === undefined) fail(annFile, `${where} refers to unknown image id ${a.image_id}`);
    const label = labelOf.get(a.category_id as number);
    if (label === undefined) fail(annFile, `${where} refers to unknown category id ${a.category_id}`);
    const bb = a.bbox;
    if (!Array.isArray(bb) || bb.length !== 4 || !bb.every(isNum) || bb[2] < 0 || bb[3] < 0) {
      fail(annFile, `${where} has bbox ${JSON.stringify(bb)}: expected [x, y, w, h] with w, h >= 0`);
    }
    const im = images[idx];
    const [x, y, w, h] = bb as number[];
    if (x < -BOX_TOLERANCE || y < -BOX_TOLERANCE || x + w > im.width + BOX_TOLERANCE || y + h > im.height + BOX_TOLERANCE) {
      fail(annFile, `${where} has bbox [${bb.join(', ')}] outside image id ${im.id} (${im.width}x${im.height}, tolerance ${BOX_TOLERANCE} px)`);
    }
    anns[idx].push({
      label, box: { x, y, w, h }, iscrowd: a.iscrowd === 1 || a.iscrowd === true,
      segmentation: checkSegmentation(a.segmentation, im, annFile, where),
    });
  });

  for (const im of images) {
    if (!existsSync(im.file)) throw new UsageError(`image file ${im.file} (image id ${im.id}) does not exist`);
  }

  const sameSize = images.length > 0 && images.every((im) => im.width === images[0].width && im.height === images[0].height);
  const width = resize ?? (sameSize ? images[0].width : 0);
  const height = resize ?? (sameSize ? images[0].height : 0);

  return {
    annotationFile: annFile,
    name: options.name ?? path.basename(path.resolve(dir)),
    classNames,
    numClasses: cats.length,
    size: images.length,
    width,
    height,
    imageId(index: number): number {
      return images[checkIndex(index, images.length)].id;
    },
    targets(index: number): Targets {
      const i = checkIndex(index, images.length);
      const a = anns[i];
      return {
        id: images[i].id, width: images[i].width, height: images[i].height,
        boxes: a.map((x) => ({ ...x.box })), labels: a.map((x) => x.label), iscrowd: a.map((x) => x.iscrowd),
      };
    },
    load(index: number): Sample {
      const i = checkIndex(index, images.length);
      return loadSample(images[i], anns[i], resize);
    },
  };
}

function checkIndex(index: number, size: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= size) throw new RangeError(`sample index ${index} is out of range 0..${size - 1}`);
  return index;
}

function checkSegmentation(seg: unknown, im: CocoImage, file: string, where: string): number[][] | Rle | undefined {
  if (seg === undefined || seg === null || (Array.isArray(seg) && seg.length === 0)) return undefined;
  if (Array.isArray(seg)) {
    for (const p of seg) {
      if (!Array.isArray(p) || p.length < 6 || p.length % 2 !== 0 || !p.every(isNum)) {
        fail(file, `${where} has a polygon that is not [x1, y1, x2, y2, x3, y3, ...]`);
      }
    }
    return seg as number[][];
  }
  const r = seg as Record<string, unknown>;
  if (typeof r === 'object' && Array.isArray(r.size) && (typeof r.counts === 'string' || Array.isArray(r.counts))) {
    const [h, w] = r.size as number[];
    if (h !== im.height || w !== im.width) fail(file, `${where} has an RLE of size ${h}x${w} on a ${im.height}x${im.width} image`);
    return r as unknown as Rle;
  }
  fail(file, `${where} has a segmentation that is neither polygons nor RLE`);
}

function loadSample(im: CocoImage, anns: CocoAnn[], resize: number | undefined): Sample {
  let bytes: Buffer;
  try {
    bytes = readFileSync(im.file);
  } catch (e) {
    throw new UsageError(`cannot read image ${im.file}: ${(e as Error).message}`);
  }
  let img;
  try {
    img = decodeImage(bytes);
  } catch (e) {
    throw new UsageError(`cannot decode image ${im.file}: ${(e as Error).message}`);
  }
  if (img.width !== im.width || img.height !== im.height) {
    throw new UsageError(`image ${im.file} is ${img.width}x${img.height} but the annotations say ${im.width}x${im.height}`);
  }
  const { width: W, height: H } = im;
  // Ignore first (box-only annotations), then the masks in file order over it.
  let mask: Uint8Array = new Uint8Array(W * H);
  for (const a of anns) {
    if (a.segmentation) continue;
    const x0 = Math.max(0, Math.floor(a.box.x)), y0 = Math.max(0, Math.floor(a.box.y));
    const x1 = Math.min(W, Math.ceil(a.box.x + a.box.w)), y1 = Math.min(H, Math.ceil(a.box.y + a.box.h));
    for (let y = y0; y < y1; y++) mask.fill(IGNORE_LABEL, y * W + x0, y * W + Math.max(x0, x1));
  }
  for (const a of anns) {
    const s = a.segmentation;
    if (!s) continue;
    try {
      if (Array.isArray(s)) for (const p of s) polygonPaint(p, H, W, mask, a.label);
      else rlePaint(s, mask, a.label);
    } catch (e) {
      throw new UsageError(`image id ${im.id}: bad segmentation (${(e as Error).message})`);
    }
  }
  const boxes: Box[] = [];
  const labels: number[] = [];
  const iscrowd: boolean[] = [];
  const sx = resize ? resize / W : 1;
  const sy = resize ? resize / H : 1;
  for (const a of anns) {
    const x0 = Math.max(0, a.box.x), y0 = Math.max(0, a.box.y);
    const x1 = Math.min(W, a.box.x + a.box.w), y1 = Math.min(H, a.box.y + a.box.h);
    if (!(x1 > x0 && y1 > y0)) continue;
    boxes.push({ x: x0 * sx, y: y0 * sy, w: (x1 - x0) * sx, h: (y1 - y0) * sy });
    labels.push(a.label);
    iscrowd.push(a.iscrowd);
  }
  let data = img.data;
  let outW = W, outH = H;
  if (resize && (resize !== W || resize !== H)) {
    data = resizeBilinear(img, resize, resize).data;
    mask = resizeNearest(mask, W, H, resize, resize);
    outW = outH = resize;
  }
  return { id: im.id, width: outW, height: outH, image: data, boxes, labels, iscrowd, segMask: mask };
}
