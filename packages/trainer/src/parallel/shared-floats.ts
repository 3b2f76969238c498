// Float32 arrays of fixed sizes laid one after another in a SharedArrayBuffer: both threads hold
// views of the same memory, so gradients and parameters cross without a copy into a message.

export interface SharedFloats {
  buffer: SharedArrayBuffer;
  sizes: number[];
}

export function allocateShared(sizes: number[]): SharedFloats {
  const total = sizes.reduce((a, n) => a + n, 0);
  return { buffer: new SharedArrayBuffer(total * 4), sizes: [...sizes] };
}

/** One view per size, in order. */
export function sharedViews({ buffer, sizes }: SharedFloats): Float32Array[] {
  let at = 0;
  return sizes.map((n) => {
    const view = new Float32Array(buffer, at * 4, n);
    at += n;
    return view;
  });
}
