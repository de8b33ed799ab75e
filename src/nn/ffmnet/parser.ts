/**
 * The feature parser (paper Sec. II-B, Fig. 3): D1 -> D2 -> ... -> D{scales}, each a bottleneck of
 * stride 2 (a 1x1 map stays 1x1). D2 and D3 come from the "Dilated Bottleneck" (3x3 conv with
 * dilation, for a larger receptive field on the big maps); the rest from the plain bottleneck.
 * The parser's convs carry biases and no batch norm: batch statistics over the 2x2 and 1x1 maps
 * (D4..D7) are degenerate for the batch sizes used here (N = batch values per channel) and blew
 * the gradients up by ~10^3 towards the backbone, which stalled training.
 */
import type { FFMNetConfig } from './config.js';
import { bottleneck, type SymT } from './blocks.js';

export function parser(d1: SymT, c: FFMNetConfig): SymT[] {
  const outs = [d1];
  for (let k = 1; k < c.scales; k++) {
    outs.push(bottleneck(outs[k - 1], `parse_d${k + 1}`, {
      out: c.parserChannels, mid: c.parserMid, stride: 2, dilation: k <= 2 ? c.dilation : 1, bnMomentum: c.bnMomentum, bn: false,
    }));
  }
  return outs;
}
