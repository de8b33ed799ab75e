/**
 * The paper's published numbers (Tables I-III and Fig. 5's setting), printed beside ours by the
 * figure scripts. Source: "Deep Joint Source-Channel Coding for Multi-Task Network" (FFMNet + JSCC),
 * Tables I-III and Sec. III. test/reports/paper.test.ts checks them against the project's
 * shared/paper/tables.json where that file is present.
 */
export const PAPER = {
  tableI: [
    { network: 'FFMNet', mAP: 40.8, mIoU: 44.6, paramsM: 63.2 },
    { network: 'BlitzNet', mAP: 40.1, mIoU: 44.1, paramsM: 87.8 },
    { network: 'TripleNet', mAP: 41.4, mIoU: 44.0, paramsM: 137.3 },
  ],
  tableII: [
    { tasks: ['det', 'seg'], mAP: 40.8 as number | null, mIoU: 44.6 as number | null },
    { tasks: ['det'], mAP: 40.3, mIoU: null },
    { tasks: ['seg'], mAP: null, mIoU: 40.4 },
  ],
  tableIII: [
    { featureSize: '(H,W,C)', ratio: null as number | null, mAP: 40.8, mIoU: 44.6 },
    { featureSize: '(H/2,W/2,C/32)', ratio: 128, mAP: 40.2, mIoU: 43.6 },
    { featureSize: '(H/2,W/2,C/64)', ratio: 256, mAP: 39.7, mIoU: 43.1 },
    { featureSize: '(H/4,W/4,C/32)', ratio: 512, mAP: 39.4, mIoU: 43.1 },
    { featureSize: '(H/4,W/4,C/64)', ratio: 1024, mAP: 38.8, mIoU: 42.4 },
  ],
  fig5: { snrTrainDb: [0, 5, 10], chosenSnrTrainDb: 5, ratio: 512, separateMaxRatioAtSimilarPerformance: 13 },
  dataset: { name: 'Open Images subset', train: 178847, test: 9903, classes: 117 },
} as const;
