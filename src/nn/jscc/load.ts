/**
 * JSCC checkpoints (training steps 2 and 3): models `device`, `edge` (FFMNet's halves, fine-tuned
 * end to end in step 3), `encoder` and `decoder`; meta.kind = 'jscc', meta.config (FFMNetConfig),
 * meta.tasks, meta.jscc (JsccConfig) and meta.snrTrain (dB, [lo, hi], or null for noiseless).
 */
import { snrTrainText } from './label.js';
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../core/errors.js';
import { readCheckpointConfig } from '../checkpoint.js';
import { loadFFMNet, type FFMNetMeta } from '../ffmnet/load.js';
import type { FFMNet } from '../ffmnet/model.js';
import type { JsccConfig } from './model.js';
import { JsccScheme } from './scheme.js';

export interface JsccMeta extends FFMNetMeta {
  jscc: JsccConfig;
  snrTrain?: number | [number, number] | null;
}

export function isJsccCheckpoint(dir: string): boolean {
  try {
    const { meta, models } = readCheckpointConfig(dir);
    return meta.kind === 'jscc' || (models.includes('encoder') && models.includes('decoder'));
  } catch {
    return false;
  }
}

/** A human label: "JSCC 512x, trained at 5 dB" / "... trained without noise". */
export function jsccLabel(meta: Partial<JsccMeta>, ratio: number): string {
  return `JSCC ${Math.round(ratio)}x, trained ${snrTrainText(meta.snrTrain)}`;
}


/** Refuse an encoder / decoder pair that does not fit D1 (shape `d1`, HWC) or each other. */
export function checkJsccFit(dir: string, d1Shape: readonly number[], enc: tf.LayersModel, dec: tf.LayersModel): void {
  const s = (x: readonly (number | null)[]) => x.slice(1).join(',');
  const d1 = d1Shape.join(','), encIn = s(enc.inputs[0].shape), z = s(enc.outputs[0].shape);
  const decIn = s(dec.inputs[0].shape), decOut = s(dec.outputs[0].shape);
  const refuse = (what: string): never => {
    throw new UsageError(`checkpoint ${dir}: ${what}; refusing to load it`);
  };
  if (d1 !== encIn) refuse(`the JSCC encoder takes [${encIn}] but D1 is [${d1}]`);
  if (decIn !== z) refuse(`the JSCC decoder takes [${decIn}] but the encoder sends [${z}]`);
  if (decOut !== d1) refuse(`the JSCC decoder returns [${decOut}] but D1 is [${d1}]`);
}

export async function loadJsccModel(dir: string, spec = `jscc:${dir}`): Promise<{ net: FFMNet; scheme: JsccScheme; meta: JsccMeta }> {
  if (!isJsccCheckpoint(dir)) throw new UsageError(`${dir} is not a JSCC checkpoint (expected models encoder and decoder; train one with train --step 2/3)`);
  const { net, meta, checkpoint } = await loadFFMNet(dir);
  const enc = checkpoint.models.encoder;
  const dec = checkpoint.models.decoder;
  if (!enc || !dec) throw new UsageError(`checkpoint ${dir} lacks the JSCC encoder or decoder`);
  try {
    checkJsccFit(dir, net.device.outputs[0].shape.slice(1) as number[], enc, dec);
  } catch (e) {
    for (const m of [enc, dec, net.device, net.edge]) m.dispose();
    throw e;
  }
  return { net, scheme: new JsccScheme(spec, enc, dec), meta: meta as JsccMeta };
}
