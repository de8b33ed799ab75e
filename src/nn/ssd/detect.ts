/**
 * SSD post-processing for one image: softmax class scores, decode offsets against the priors,
 * per-class score threshold + top-k + NMS, then the best `maxDetections` over all classes.
 * Output boxes are pixels, COCO (x, y, w, h), clipped to the image.
 */
import { decodeBoxes } from './coding.js';
import { nms } from './nms.js';
import type { Box } from '../../data/types.js';

export interface DetectOptions {
  scoreThreshold?: number;
  iouThreshold?: number;
  /** Candidates per class entering NMS. */
  topK?: number;
  maxDetections?: number;
}

export interface RawDetection {
  label: number;
  score: number;
  box: Box;
}

/** Softmax over the last axis of a P x K1 array, in place into `out`. */
export function softmaxRows(logits: ArrayLike<number>, k1: number, out = new Float32Array(logits.length)): Float32Array {
  for (let i = 0; i < logits.length; i += k1) {
    let m = -Infinity;
    for (let c = 0; c < k1; c++) m = Math.max(m, logits[i + c]);
    let s = 0;
    for (let c = 0; c < k1; c++) { const e = Math.exp(logits[i + c] - m); out[i + c] = e; s += e; }
    for (let c = 0; c < k1; c++) out[i + c] /= s;
  }
  return out;
}

/**
 * clsLogits: P x (K+1), offsets: P x 4 (one image), priorBoxes: P x 4 normalized centre form.
 */
export function detect(clsLogits: ArrayLike<number>, offsets: ArrayLike<number>, priorBoxes: Float32Array,
  imageWidth: number, imageHeight: number, o: DetectOptions = {}): RawDetection[] {
  const P = priorBoxes.length / 4;
  const k1 = clsLogits.length / P;
  if (!Number.isInteger(k1) || k1 < 2) throw new RangeError(`clsLogits has ${clsLogits.length} values for ${P} priors: expected P x (numClasses + 1)`);
  const scoreThr = o.scoreThreshold ?? 0.01;
  const iouThr = o.iouThreshold ?? 0.45;
  const topK = o.topK ?? 200;
  const maxDet = o.maxDetections ?? 100;
  const probs = softmaxRows(clsLogits, k1);
  const centre = decodeBoxes(offsets, priorBoxes);
  const corner = new Float32Array(P * 4);
  for (let p = 0; p < P; p++) {
    const i = p * 4;
    corner[i] = Math.max(0, centre[i] - centre[i + 2] / 2);
    corner[i + 1] = Math.max(0, centre[i + 1] - centre[i + 3] / 2);
    corner[i + 2] = Math.min(1, centre[i] + centre[i + 2] / 2);
    corner[i + 3] = Math.min(1, centre[i + 1] + centre[i + 3] / 2);
  }
  const all: RawDetection[] = [];
  const scores = new Float32Array(P);
  for (let c = 1; c < k1; c++) {
    const cand: number[] = [];
    for (let p = 0; p < P; p++) {
      scores[p] = probs[p * k1 + c];
      if (scores[p] > scoreThr && corner[p * 4 + 2] > corner[p * 4] && corner[p * 4 + 3] > corner[p * 4 + 1]) cand.push(p);
    }
    if (cand.length > topK) {
      cand.sort((a, b) => (scores[b] - scores[a]) || (a - b));
      cand.length = topK;
    }
    for (const p of nms(corner, scores, cand, iouThr)) {
      const i = p * 4;
      all.push({
        label: c,
        score: scores[p],
        box: { x: corner[i] * imageWidth, y: corner[i + 1] * imageHeight, w: (corner[i + 2] - corner[i]) * imageWidth, h: (corner[i + 3] - corner[i + 1]) * imageHeight },
      });
    }
  }
  all.sort((a, b) => b.score - a.score);
  return all.slice(0, maxDet);
}
