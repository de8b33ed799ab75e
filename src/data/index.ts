/** The data-set API: readers, the shapes generator, and their types. */
export * from './types.js';
export { openCocoDataset, findAnnotationFile, type CocoOptions, type CocoDataset, type Targets } from './coco.js';
export { openDataset, openTrainVal, hasSplit, dataLayout, type OpenOptions, type SplitName, type DataLayout } from './open.js';
export { makeShapesDataset, SHAPES_GENERATOR_VERSION, type ShapesOptions, type ShapesSummary } from './shapes.js';
export { SHAPE_CLASSES } from './shapes-render.js';
