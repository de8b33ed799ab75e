/**
 * GENERATED from acs.wat (same folder) by:
 *   wat2wasm src/fec/conv/kernel/acs.wat -o /tmp/acs.wasm && base64 -w0 /tmp/acs.wasm;
 *   sha256sum src/fec/conv/kernel/acs.wat
 * (wabt 1.0.32). Edit the .wat, then paste the new base64 here; test/fec/conv/kernel.test.ts
 * checks that its decisions equal the JS kernel's bit for bit, and that ACS_WAT_SHA256 is still
 * the hash of the .wat (so an edit without regenerating fails).
 */
/** sha256 of the acs.wat this binary was built from (the kernel test compares it with the file). */
export const ACS_WAT_SHA256 = 'bc0cd2813ef79d9a9f308f6708dfbc0d9324217b0e65f0756a2d915dbd7cce38';

export const ACS_WASM_BASE64 =
  'AGFzbQEAAAABBwFgA39/fwADAgEABQMBAAEHEAIGbWVtb3J5AgADYWNzAAAKlAMBkQMCCX8Ke0GAASEFQYADIQb9DAAAAAAAAAAAAAAAAAAAAAAhFQJAA0AgAyAATw0BIAEoAgD9Ef0MAQAAAAEAAAD///////////21ASABKAIE/RH9DAEAAAD/////AQAAAP/////9tQH9rgEhDEEAIQpBACELQQAhBANAIAUgBEEFdGohCCAGIARBBHRqIQkgCP0ABAAhDyAI/QAEECEQIA8gEP0NAAECAwgJCgsQERITGBkaGyERIA8gEP0NBAUGBwwNDg8UFRYXHB0eHyAR/bEBIRIgDCAEQQR0/QAEAP0OIQ0gDUEB/asBIQ4gDiAS/bEBIRMgDv2hASAS/bEBIRQgCSARIA39rgEgEyAV/bYB/bEB/QsEACAJIBEgDf2xASAUIBX9tgH9sQH9CwSAASAKIBP9pAEgBEECdHRyIQogCyAU/aQBIARBAnR0ciELIARBAWohBCAEQQhJDQALIAIgCjYCACACIAs2AgQgBSEHIAYhBSAHIQYgAUEIaiEBIAJBCGohAiADQQFqIQMMAAsLCw==';
