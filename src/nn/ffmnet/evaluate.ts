/**
 * Held-out evaluation of FFMNet: mAP@0.5 (VOC all-point, the paper's metric) on the SSD detections
 * after NMS, and mIoU from a data-set-wide confusion matrix of the argmax mask at input size.
 * `transform` (optional) maps D1 -> D1' between the halves, so the same routine measures a
 * transmission scheme.
 */
import * as tf from '@tensorflow/tfjs';
import type { Dataset } from '../../data/types.js';
import { meanAveragePrecision, type Detection, type GroundTruth } from '../../metrics/detection.js';
import { ConfusionMatrix } from '../../metrics/segmentation.js';
import { detect, type DetectOptions } from '../ssd/detect.js';
import { segPredict } from '../seg/loss.js';
import type { FFMNet } from './model.js';
import { scaleSizes, type FFMNetConfig } from './config.js';
import { priors } from '../ssd/priors.js';

export interface EvalResult {
  images: number;
  /** mAP at IoU 0.5 (VOC all-point), in [0, 1]; NaN without detection task or ground truth. */
  mAP?: number;
  /** Mean IoU over classes (background included), in [0, 1]. */
  mIoU?: number;
  perClassAP?: (number | null)[];
  perClassIoU?: (number | null)[];
}

export interface EvalOptions {
  batch?: number;
  /** Evaluate only the first `limit` images. */
  limit?: number;
  detect?: DetectOptions;
  transform?: (d1: tf.Tensor4D) => tf.Tensor4D;
  onProgress?: (done: number, total: number) => void;
}

export function priorsFor(net: FFMNet): Float32Array {
  return priorsForConfig(net.config);
}

/** The SSD priors of a config: its fitted priorSizes, else the linear rule between priorScales. */
export function priorsForConfig(c: FFMNetConfig): Float32Array {
  return priors({ sizes: scaleSizes(c), anchors: c.anchorsPerScale, minScale: c.priorScales[0], maxScale: c.priorScales[1], scales: c.priorSizes });
}

export async function evaluateFFMNet(net: FFMNet, data: Dataset, o: EvalOptions = {}): Promise<EvalResult> {
  const n = Math.min(data.size, o.limit ?? data.size);
  const B = o.batch ?? 16;
  const S = net.config.inputSize;
  const pri = priorsFor(net);
  const hasDet = net.tasks.includes('det');
  const hasSeg = net.tasks.includes('seg');
  const dets: Detection[] = [];
  const gts: GroundTruth[] = [];
  const cm = new ConfusionMatrix(net.config.numClasses + 1);
  for (let i0 = 0; i0 < n; i0 += B) {
    const samples = Array.from({ length: Math.min(B, n - i0) }, (_, k) => data.load(i0 + k));
    const images = new Float32Array(samples.length * S * S * 3);
    samples.forEach((s, k) => {
      if (s.width !== S || s.height !== S) throw new RangeError(`image ${s.id} is ${s.width}x${s.height}: the model takes ${S}x${S} (open the data with resize)`);
      images.set(s.image, k * S * S * 3);
    });
    const outs = tf.tidy(() => {
      const x = tf.tensor4d(images, [samples.length, S, S, 3]);
      let d1 = net.device.predict(x) as tf.Tensor4D;
      if (o.transform) d1 = o.transform(d1);
      const y = net.edge.predict(d1);
      return Array.isArray(y) ? y : [y];
    });
    let j = 0;
    if (hasDet) {
      const cls = outs[j].dataSync(), loc = outs[j + 1].dataSync();
      const P = pri.length / 4, k1 = net.config.numClasses + 1;
      samples.forEach((s, k) => {
        for (const d of detect(cls.subarray(k * P * k1, (k + 1) * P * k1), loc.subarray(k * P * 4, (k + 1) * P * 4), pri, S, S, o.detect)) {
          dets.push({ imageId: s.id, ...d });
        }
        s.boxes.forEach((b, q) => gts.push({ imageId: s.id, label: s.labels[q], box: b, iscrowd: s.iscrowd?.[q] ?? false }));
      });
      j += 2;
    }
    if (hasSeg) {
      const seg = outs[j] as tf.Tensor4D;
      samples.forEach((s, k) => {
        const one = tf.slice(seg, [k, 0, 0, 0], [1, -1, -1, -1]);
        cm.add(segPredict(one, S, S, net.config.resize ?? 'legacy'), s.segMask);
        one.dispose();
      });
    }
    tf.dispose(outs);
    o.onProgress?.(Math.min(n, i0 + B), n);
  }
  const r: EvalResult = { images: n };
  if (hasDet) {
    const m = meanAveragePrecision(dets, gts, { iou: 0.5, method: 'voc-all-point', numClasses: net.config.numClasses });
    r.mAP = m.map; r.perClassAP = m.perClass;
  }
  if (hasSeg) {
    r.mIoU = cm.miou();
    r.perClassIoU = cm.iouPerClass();
  }
  return r;
}
