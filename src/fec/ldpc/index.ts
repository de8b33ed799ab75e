/** LDPC: parity-check matrices, layered BP decoders, and the IEEE 802.11n codes (5G NR in ./5gnr). */
export { ParityCheck, type QcBase } from './parity-check.js';
export {
  LdpcDecoder, LDPC_ALGORITHMS, LLR_CLAMP, hardDecide,
  type LdpcAlgorithm, type LdpcDecoderOptions, type LdpcDecodeOutput,
} from './decoder.js';
export { DualDiagonalEncoder } from './dual-diagonal-encoder.js';
export { wasmMinSumAvailable } from './kernel/minsum-kernel.js';
export {
  createLdpc80211n, parityCheck80211n, Ldpc80211nCode, LDPC_80211N_LENGTHS, LDPC_80211N_RATES,
  type Ldpc80211nLength, type Ldpc80211nRate,
} from './80211n/code.js';
export { prototype80211n, LDPC_80211N_Z, type Prototype80211n } from './80211n/prototypes.js';
