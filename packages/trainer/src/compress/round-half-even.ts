// Math.round rounds halves up (-2.5 -> -2, 2.5 -> 3); TensorFlow, PyTorch and tf.round round
// halves to the nearest even integer, which keeps quantization unbiased over many values.

/** Nearest integer, ties to even (banker's rounding), as torch.round / tf.round. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  // Math.round(x) - x === 0.5 exactly when x is a tie that was rounded up.
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
