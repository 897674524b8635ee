/**
 * Column standardisation of a row-major n×d matrix: z = (x − mean) / std.
 * A constant column (std 0) maps to 0 rather than NaN.
 */
export interface Standardisation {
  mean: Float64Array;
  std: Float64Array;
  z: Float64Array;
}

export function standardise(data: Float64Array, n: number, d: number): Standardisation {
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let c = 0; c < d; c++) mean[c] += data[r * d + c];
  for (let c = 0; c < d; c++) mean[c] = n > 0 ? mean[c] / n : 0;
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++) {
      const v = data[r * d + c] - mean[c];
      std[c] += v * v;
    }
  for (let c = 0; c < d; c++) std[c] = n > 0 ? Math.sqrt(std[c] / n) : 0;
  const z = new Float64Array(n * d);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++) z[r * d + c] = std[c] > 0 ? (data[r * d + c] - mean[c]) / std[c] : 0;
  return { mean, std, z };
}
