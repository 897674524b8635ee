/**
 * Jest runs each test file in its own V8 realm, but onnxruntime-node's native code builds
 * output tensors from the main realm's typed arrays, which then fail onnxruntime-common's
 * `instanceof Float32Array` check inside the sandbox ("A float32 tensor's data must be type
 * of Float32Array"). Importing this module first makes `instanceof` recognise typed arrays of
 * either realm by their tag. Tests only: plain Node (production) has one realm.
 */
const TYPED = [Float32Array, Float64Array, Int8Array, Int16Array, Int32Array, Uint8Array, Uint16Array, Uint32Array, BigInt64Array, BigUint64Array];

for (const ctor of TYPED) {
  const tag = `[object ${ctor.name}]`;
  Object.defineProperty(ctor, Symbol.hasInstance, {
    configurable: true,
    value: (v: unknown) => ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === tag,
  });
}

export const ORT_JEST_REALM_PATCHED = true;
