/**
 * A small seeded pseudo-random generator for reproducible tests, fuzzing and simulations:
 * mulberry32 (T. Ettinger, public-domain 32-bit generator; passes gjrand/PractRand at the
 * scale used here). Uniform in [0, 1); the same seed gives the same sequence on every
 * platform (32-bit integer arithmetic only).
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
