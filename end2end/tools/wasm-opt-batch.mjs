// Optimises many WASM modules in place in one process, as `wasm-opt -Oz` would, for
// `cargo xtask site`: binaryen's JavaScript build is compiled once here instead of once
// per module (the app's split leaves hundreds of small parts).
//
// Usage: node wasm-opt-batch.mjs [--keep-names] [--feature NAME]... -- MODULE...
// Prints one line per module; any failure exits non-zero naming the module.

import { readFileSync, writeFileSync } from 'node:fs';
import binaryen from 'binaryen';

const args = process.argv.slice(2);
const split = args.indexOf('--');
if (split < 0) {
  console.error('usage: wasm-opt-batch.mjs [--keep-names] [--feature NAME]... -- MODULE...');
  process.exit(2);
}
const options = args.slice(0, split);
const modules = args.slice(split + 1);

// The names `wasm-opt --enable-…` takes, as binaryen's feature bits (with the ones
// wasm-opt's flag implies: the output is then byte for byte wasm-opt's).
const FEATURES = {
  'bulk-memory': binaryen.Features.BulkMemory | binaryen.Features.BulkMemoryOpt,
  'nontrapping-float-to-int': binaryen.Features.NontrappingFPToInt,
  'sign-ext': binaryen.Features.SignExt,
  'mutable-globals': binaryen.Features.MutableGlobals,
  'reference-types': binaryen.Features.ReferenceTypes | binaryen.Features.CallIndirectOverlong,
  'multivalue': binaryen.Features.Multivalue,
};
let features = binaryen.Features.MVP;
let keepNames = false;
for (let i = 0; i < options.length; i++) {
  if (options[i] === '--keep-names') {
    keepNames = true;
  } else if (options[i] === '--feature') {
    const bits = FEATURES[options[++i]];
    if (bits === undefined) {
      console.error(`wasm-opt-batch: unknown feature ${options[i]}`);
      process.exit(2);
    }
    features |= bits;
  } else {
    console.error(`wasm-opt-batch: unknown option ${options[i]}`);
    process.exit(2);
  }
}

// -Oz: optimisation level 2, shrink level 2; like wasm-opt, the module is written
// through Stack IR, optimised.
binaryen.setOptimizeLevel(2);
binaryen.setShrinkLevel(2);
binaryen.setGenerateStackIR(true);
binaryen.setOptimizeStackIR(true);
binaryen.setDebugInfo(keepNames);

for (const path of modules) {
  let module;
  try {
    module = binaryen.readBinary(readFileSync(path), features);
    module.setFeatures(features);
    if (!module.validate()) {
      throw new Error('the module does not validate');
    }
    module.optimize();
    writeFileSync(path, module.emitBinary());
  } catch (e) {
    console.error(`wasm-opt-batch: ${path}: ${e?.message ?? e}`);
    process.exit(1);
  } finally {
    module?.dispose();
  }
}
