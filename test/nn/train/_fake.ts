/** A small deterministic stand-in data set for the nn tests: coloured rectangles and discs. */
import type { Dataset, Sample } from '../../../src/data/types.js';
import { Rng } from '../../../src/core/rng.js';

export function fakeDataset(count: number, size: number, seed = 1, numClasses = 2): Dataset {
  const classNames = ['background', ...Array.from({ length: numClasses }, (_, i) => `class${i + 1}`)];
  return {
    name: 'fake', classNames, numClasses, size: count, width: size, height: size,
    imageId: (i: number) => i + 1,
    load(i: number): Sample {
      const r = new Rng(seed).split(i);
      const image = new Float32Array(size * size * 3);
      for (let p = 0; p < image.length; p++) image[p] = 0.3 + 0.1 * r.uniform();
      const segMask = new Uint8Array(size * size);
      const boxes = [], labels = [];
      const n = 1 + r.int(2);
      for (let k = 0; k < n; k++) {
        const w = Math.round(size * (0.2 + 0.3 * r.uniform())), h = Math.round(size * (0.2 + 0.3 * r.uniform()));
        const x = r.int(size - w), y = r.int(size - h);
        const label = 1 + r.int(numClasses);
        for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) {
          const disc = label % 2 === 0;
          const inside = !disc || ((xx - x - w / 2) ** 2 / (w / 2) ** 2 + (yy - y - h / 2) ** 2 / (h / 2) ** 2 <= 1);
          if (!inside) continue;
          segMask[yy * size + xx] = label;
          const q = (yy * size + xx) * 3;
          image[q] = label === 1 ? 0.9 : 0.1; image[q + 1] = 0.5; image[q + 2] = label === 1 ? 0.1 : 0.9;
        }
        boxes.push({ x, y, w, h }); labels.push(label);
      }
      return { id: i + 1, width: size, height: size, image, boxes, labels, iscrowd: labels.map(() => false), segMask };
    },
  };
}
