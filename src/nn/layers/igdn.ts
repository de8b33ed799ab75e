/** Inverse GDN: y_i = x_i * sqrt(beta_i + sum_j gamma_ij x_j^2), parameters as in ./gdn.ts. */
import { GDN, type GdnOptions } from './gdn.js';

export class IGDN extends GDN {
  static override className = 'IGDN';
  protected override readonly inverse: boolean = true;

  constructor(options: GdnOptions = {}) {
    super(options);
  }
}
