/**
 * Training loss at each validation step: the mean of the training points logged since the
 * previous evaluation (what Keras/HF report as the epoch's train loss), or a linear
 * interpolation when none fell in that window. NaN outside the training range.
 */
export function alignTrain(trainX: Float64Array, trainY: Float64Array, valX: Float64Array): Float64Array {
  const out = new Float64Array(valX.length).fill(NaN);
  const n = trainX.length;
  if (n === 0) return out;
  let j = 0;
  let prev = -Infinity;
  for (let k = 0; k < valX.length; k++) {
    const s = valX[k];
    let sum = 0;
    let count = 0;
    while (j < n && trainX[j] <= s) {
      if (trainX[j] > prev) {
        sum += trainY[j];
        count++;
      }
      j++;
    }
    if (count > 0) out[k] = sum / count;
    else if (j > 0 && j < n) {
      const x0 = trainX[j - 1];
      const x1 = trainX[j];
      out[k] = trainY[j - 1] + ((trainY[j] - trainY[j - 1]) * (s - x0)) / (x1 - x0);
    } else if (j === n && s - trainX[n - 1] <= spacing(trainX)) out[k] = trainY[n - 1];
    prev = s;
  }
  return out;
}

function spacing(x: Float64Array): number {
  return x.length > 1 ? (x[x.length - 1] - x[0]) / (x.length - 1) : 0;
}
