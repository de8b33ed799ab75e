/**
 * Data benchmarks: shapes generation (scene rendering + JPEG encoding, in memory), COCO sample
 * loading (JPEG decode + RLE masks) at 128x128, and the detection / segmentation metrics.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Bench } from './harness.js';
import { Rng } from '../src/core/rng.js';
import { renderScene } from '../src/data/shapes-render.js';
import { encodeJpeg } from '../src/data/image.js';
import { makeShapesDataset } from '../src/data/shapes.js';
import { openDataset } from '../src/data/open.js';
import type { CocoDataset } from '../src/data/coco.js';
import { meanAveragePrecision, cocoAP, type Detection, type GroundTruth } from '../src/metrics/detection.js';
import { ConfusionMatrix } from '../src/metrics/segmentation.js';

const root = new Rng(1);
let next = 0;
let ds: CocoDataset | undefined;

// 500 images, 3 GTs each over 6 classes, 50 detections each (noisy copies of GTs plus clutter).
const gts: GroundTruth[] = [];
const dets: Detection[] = [];
{
  const r = new Rng(2);
  for (let im = 0; im < 500; im++) {
    for (let g = 0; g < 3; g++) {
      const box = { x: r.uniform() * 100, y: r.uniform() * 100, w: 10 + r.uniform() * 20, h: 10 + r.uniform() * 20 };
      gts.push({ imageId: im, label: 1 + r.int(6), box });
    }
    for (let d = 0; d < 50; d++) {
      const g = gts[gts.length - 1 - r.int(3)];
      const near = r.uniform() < 0.3;
      const box = near ? { x: g.box.x + 3 * r.gaussian(), y: g.box.y + 3 * r.gaussian(), w: g.box.w, h: g.box.h }
        : { x: r.uniform() * 110, y: r.uniform() * 110, w: 5 + r.uniform() * 20, h: 5 + r.uniform() * 20 };
      dets.push({ imageId: im, label: near ? g.label : 1 + r.int(6), score: r.uniform(), box });
    }
  }
}
const pred = new Uint8Array(128 * 128 * 100);
const target = new Uint8Array(128 * 128 * 100);
{
  const r = new Rng(3);
  for (let i = 0; i < pred.length; i++) { target[i] = r.int(7); pred[i] = r.uniform() < 0.7 ? target[i] : r.int(7); }
}

export const benchmarks: Bench[] = [
  {
    name: 'shapes: render one 128x128 scene + JPEG q95 encode (in memory, one core)',
    unit: 'images/s',
    goal: '>= 100 images/s (3000 images in < 30 s)',
    run: () => {
      for (let i = 0; i < 50; i++) {
        const s = renderScene(root.split(0, next++), { size: 128, maxObjects: 5 });
        encodeJpeg({ width: 128, height: 128, data: s.image }, 95);
      }
      return 50;
    },
    repeats: 5,
  },
  {
    name: 'COCO load at 128x128 (JPEG decode + RLE masks to a semantic mask)',
    unit: 'images/s',
    goal: 'well above training speed (>= 200 images/s)',
    setup: async () => {
      if (ds) return;
      const out = path.join(mkdtempSync(path.join(tmpdir(), 'jscc-bench-data-')), 'shapes');
      await makeShapesDataset({ count: 100, out, seed: 1, val: 0 });
      ds = openDataset(out);
    },
    run: () => {
      for (let i = 0; i < ds!.size; i++) ds!.load(i);
      return ds!.size;
    },
  },
  {
    name: 'VOC mAP@0.5: 500 images, 1500 GTs, 25000 detections, 6 classes',
    unit: 'images/s',
    run: () => { meanAveragePrecision(dets, gts, { numClasses: 6 }); return 500; },
  },
  {
    name: 'COCO AP 0.5:0.95 (101-point): same set',
    unit: 'images/s',
    run: () => { cocoAP(dets, gts, 6); return 500; },
  },
  {
    name: 'confusion matrix add, 7 classes',
    unit: 'Mpixel/s',
    scale: 1e6,
    run: () => { const cm = new ConfusionMatrix(7); cm.add(pred, target); cm.miou(); return pred.length; },
  },
];
