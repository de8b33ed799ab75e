/**
 * Convolution geometry shared by the gradient kernels: tfjs' own shape/padding rules
 * (backend_util.computeConv2DInfo), reduced to what the kernels need, NHWC only.
 */
import * as tf from '@tensorflow/tfjs';

export interface ConvGeometry {
  batch: number;
  inHeight: number; inWidth: number; inChannels: number;
  outHeight: number; outWidth: number; outChannels: number;
  filterHeight: number; filterWidth: number;
  strideHeight: number; strideWidth: number;
  dilationHeight: number; dilationWidth: number;
  padTop: number; padLeft: number;
}

export type PadAttr = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;

/** Geometry of conv2d(x: xShape, filter: filterShape) as tfjs computes it. */
export function convGeometry(
  xShape: number[], filterShape: number[], strides: number | [number, number], dilations: number | [number, number],
  pad: PadAttr, dimRoundingMode: 'floor' | 'round' | 'ceil' | undefined, dataFormat: string | undefined, depthwise = false,
): ConvGeometry {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`wasm conv gradient kernels support NHWC only, got dataFormat ${dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as [number, number, number, number], filterShape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, depthwise, 'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight, inWidth: info.inWidth, inChannels: info.inChannels,
    outHeight: info.outHeight, outWidth: info.outWidth, outChannels: info.outChannels,
    filterHeight: info.filterHeight, filterWidth: info.filterWidth,
    strideHeight: info.strideHeight, strideWidth: info.strideWidth,
    dilationHeight: info.dilationHeight, dilationWidth: info.dilationWidth,
    padTop: info.padInfo.top, padLeft: info.padInfo.left,
  };
}

/** Floating-point operations of the forward conv (2 per multiply-add). */
export function convFlops(g: ConvGeometry, depthwise = false): number {
  const perOut = g.filterHeight * g.filterWidth * (depthwise ? 1 : g.inChannels);
  return 2 * g.batch * g.outHeight * g.outWidth * g.outChannels * perOut;
}
