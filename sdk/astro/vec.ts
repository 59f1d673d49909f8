/**
 * Small fixed-size vector and matrix helpers on plain arrays (no allocation-heavy classes):
 * a `Vec3` is `[x, y, z]`, a `Mat3` is row-major `[[…], […], […]]`. Used on hot paths
 * (frame rotations of whole catalogs), hence plain loops.
 */
export type Vec3 = [number, number, number];
export type Mat3 = [Vec3, Vec3, Vec3];

export const dot = (a: readonly number[], b: readonly number[]): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const norm = (a: readonly number[]): number => Math.sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
export const cross = (a: readonly number[], b: readonly number[]): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const add = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
export const sub = (a: readonly number[], b: readonly number[]): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
export const scale = (a: readonly number[], k: number): Vec3 => [a[0] * k, a[1] * k, a[2] * k];
export function unit(a: readonly number[]): Vec3 {
  const n = norm(a);
  if (n === 0) throw new RangeError('unit(): zero-length vector has no direction');
  return [a[0] / n, a[1] / n, a[2] / n];
}
/** Angle between two vectors, rad, accurate for tiny and near-π angles (atan2 of |a×b| and a·b). */
export const angleBetween = (a: readonly number[], b: readonly number[]): number => Math.atan2(norm(cross(a, b)), dot(a, b));

export const identity3 = (): Mat3 => [
  [1, 0, 0],
  [0, 1, 0],
  [0, 0, 1],
];
/** m · v */
export const mulMV = (m: Mat3, v: readonly number[]): Vec3 => [
  m[0][0] * v[0] + m[0][1] * v[1] + m[0][2] * v[2],
  m[1][0] * v[0] + m[1][1] * v[1] + m[1][2] * v[2],
  m[2][0] * v[0] + m[2][1] * v[1] + m[2][2] * v[2],
];
/** mᵀ · v */
export const mulMtV = (m: Mat3, v: readonly number[]): Vec3 => [
  m[0][0] * v[0] + m[1][0] * v[1] + m[2][0] * v[2],
  m[0][1] * v[0] + m[1][1] * v[1] + m[2][1] * v[2],
  m[0][2] * v[0] + m[1][2] * v[1] + m[2][2] * v[2],
];
/** a · b */
export function mulMM(a: Mat3, b: Mat3): Mat3 {
  const r = identity3();
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
  return r;
}
export const transpose3 = (m: Mat3): Mat3 => [
  [m[0][0], m[1][0], m[2][0]],
  [m[0][1], m[1][1], m[2][1]],
  [m[0][2], m[1][2], m[2][2]],
];
/**
 * Elementary rotation matrices of a frame by angle `a` (rad) about axis 1, 2, 3: the
 * "passive" convention of Vallado (Fundamentals of Astrodynamics, 4th ed., §3.2, ROT1/2/3),
 * i.e. the matrix that gives a fixed vector's coordinates in the rotated frame.
 */
export function rot1(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [
    [1, 0, 0],
    [0, c, s],
    [0, -s, c],
  ];
}
export function rot2(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [
    [c, 0, -s],
    [0, 1, 0],
    [s, 0, c],
  ];
}
export function rot3(a: number): Mat3 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return [
    [c, s, 0],
    [-s, c, 0],
    [0, 0, 1],
  ];
}
