/**
 * Box overlap in continuous pixel coordinates (COCO convention: a box [x, y, w, h] covers
 * [x, x + w) x [y, y + h); no "+1" as in the VOC devkit's integer boxes).
 */
import type { Box } from '../data/types.js';

/** Intersection area of two boxes (0 when disjoint). */
export function intersectionArea(a: Box, b: Box): number {
  const iw = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const ih = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  return iw > 0 && ih > 0 ? iw * ih : 0;
}

/** Intersection over union; 0 when the union is empty. */
export function boxIoU(a: Box, b: Box): number {
  const inter = intersectionArea(a, b);
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * COCO's overlap with a crowd region: intersection over the detection's own area, so that any
 * detection lying inside a crowd box counts as covered by it (pycocotools `maskUtils.iou`, iscrowd).
 */
export function crowdOverlap(det: Box, crowd: Box): number {
  const a = det.w * det.h;
  return a > 0 ? intersectionArea(det, crowd) / a : 0;
}
