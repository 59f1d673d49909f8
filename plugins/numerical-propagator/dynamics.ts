/**
 * The force model of the Cowell propagator: acceleration in GCRF at (t, r, v), and its
 * partial derivatives for the variational equations.
 */
import type { AtmosphereDensity } from './atmosphere';
import type { EarthRotation } from './environment';

/** Sun (out[0..2]) and Moon (out[3..5]) GCRF positions, km, at t (s since the epoch): `BodyEphemeris` or a test's fixed bodies. */
export interface BodyPositions {
  at(t: number, out: Float64Array): void;
}
import { bulgeApex, dragAcceleration, geodeticHeightKm, harrisPriesterDensity, shadowBoundaries, srpAcceleration, thirdBodyAcceleration } from './forces';
import type { Geopotential } from './geopotential';
import { MU_MOON_KM3_S2, MU_SUN_KM3_S2 } from '../../sdk/astro/constants';

/** A constant-thrust burn active on the current integration segment. */
export interface ActiveBurn {
  /** Thrust direction: unit vector in the local orbital frame (`local` set) or in GCRF. */
  dir: [number, number, number];
  local?: 'RTN' | 'TNW';
  /** Thrust, N (acceleration = thrust / mass), or a fixed acceleration (km/s²) when thrustN is absent. */
  thrustN?: number;
  accelKmS2?: number;
}

export interface ForceModelOptions {
  /** Geopotential (includes the central term); absent: point mass of `muKm3S2`. */
  geopotential?: Geopotential;
  /** Gravitational parameter of the point-mass Earth when there is no geopotential, km³/s². */
  muKm3S2: number;
  rotation: EarthRotation;
  bodies?: BodyPositions;
  sun: boolean;
  moon: boolean;
  /**
   * Drag: Harris–Priester (harrisPriesterN) unless `atmosphere` gives the density (NRLMSISE-00
   * driven by the space-weather provider, atmosphere.ts).
   */
  drag?: { cd: number; areaM2: number; harrisPriesterN: number; atmosphere?: AtmosphereDensity };
  srp?: { cr: number; areaM2: number; shadow: boolean };
}

const FD_POS_KM = 1e-3;
const FD_VEL_KMS = 1e-6;

export class ForceModel {
  readonly mu: number;
  /** Spacecraft mass law on the current segment: m(t) = massRefKg − massRateKgS·(t − massRefT). */
  massRefKg = 1000;
  massRefT = 0;
  massRateKgS = 0;
  /** Burns active on the current segment (set by the propagator). */
  burns: ActiveBurn[] = [];
  /** Number of perturbation evaluations (statistics). */
  evaluations = 0;

  private readonly R = new Float64Array(9);
  private rT = NaN;
  private readonly body = new Float64Array(6);
  private bT = NaN;
  private readonly tmp = new Float64Array(3);
  private readonly apex = new Float64Array(3);
  private readonly pPlus = new Float64Array(3);
  private readonly pMinus = new Float64Array(3);

  constructor(readonly options: ForceModelOptions) {
    this.mu = options.geopotential ? options.geopotential.muKm3S2 : options.muKm3S2;
    if ((options.sun || options.moon || options.drag || options.srp) && !options.bodies) throw new Error('force model: Sun/Moon, drag and SRP need a body ephemeris');
  }

  /** True when some force depends on the velocity (drag, thrust in a local frame). */
  get velocityDependent(): boolean {
    return Boolean(this.options.drag) || this.burns.some((b) => b.local !== undefined);
  }

  massKg(t: number): number {
    return this.massRefKg - this.massRateKgS * (t - this.massRefT);
  }

  private rotationAt(t: number): Float64Array {
    if (t !== this.rT) {
      this.options.rotation.rotation(t, this.R);
      this.rT = t;
    }
    return this.R;
  }

  private bodiesAt(t: number): Float64Array {
    if (t !== this.bT) {
      this.options.bodies!.at(t, this.body);
      this.bT = t;
    }
    return this.body;
  }

  /** Earth-fixed position of a GCRF position at t. */
  toItrf(t: number, x: number, y: number, z: number, out: Float64Array | number[]): void {
    const R = this.rotationAt(t);
    out[0] = R[0] * x + R[1] * y + R[2] * z;
    out[1] = R[3] * x + R[4] * y + R[5] * z;
    out[2] = R[6] * x + R[7] * y + R[8] * z;
  }

  /**
   * Everything but the central attraction −μ r/r³, GCRF, km/s², written to out[0..2].
   * `withGeopotential` false leaves the geopotential out (for the partials, where it is analytic).
   */
  perturbation(t: number, x: number, y: number, z: number, vx: number, vy: number, vz: number, out: Float64Array, withGeopotential = true): void {
    this.evaluations++;
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
    const o = this.options;
    const R = o.geopotential || o.drag ? this.rotationAt(t) : this.R;
    const g = o.geopotential;
    if (g && g.degree >= 1 && withGeopotential) {
      const xe = R[0] * x + R[1] * y + R[2] * z;
      const ye = R[3] * x + R[4] * y + R[5] * z;
      const ze = R[6] * x + R[7] * y + R[8] * z;
      const a = this.tmp;
      g.accelerationItrf(xe, ye, ze, a);
      // remove the central term in Earth-fixed axes (same norm), then rotate back with Rᵀ
      const r2 = xe * xe + ye * ye + ze * ze;
      const k = this.mu / (r2 * Math.sqrt(r2));
      const ax = a[0] + k * xe;
      const ay = a[1] + k * ye;
      const az = a[2] + k * ze;
      out[0] += R[0] * ax + R[3] * ay + R[6] * az;
      out[1] += R[1] * ax + R[4] * ay + R[7] * az;
      out[2] += R[2] * ax + R[5] * ay + R[8] * az;
    }
    if (o.sun || o.moon || o.srp || o.drag) {
      const b = this.bodiesAt(t);
      if (o.sun) thirdBodyAcceleration(x, y, z, b[0], b[1], b[2], MU_SUN_KM3_S2, out);
      if (o.moon) thirdBodyAcceleration(x, y, z, b[3], b[4], b[5], MU_MOON_KM3_S2, out);
      if (o.srp) srpAcceleration(x, y, z, b[0], b[1], b[2], o.srp.cr, o.srp.areaM2, this.massKg(t), o.srp.shadow, out);
      if (o.drag) {
        const xe = R[0] * x + R[1] * y + R[2] * z;
        const ye = R[3] * x + R[4] * y + R[5] * z;
        const ze = R[6] * x + R[7] * y + R[8] * z;
        let rho = 0;
        if (o.drag.atmosphere) rho = o.drag.atmosphere.densityKgM3(t, xe, ye, ze);
        else {
          const h = geodeticHeightKm(xe, ye, ze);
          if (h < 1000) {
            bulgeApex(b[0], b[1], b[2], this.apex);
            const r = Math.sqrt(x * x + y * y + z * z);
            const cosPsi = (x * this.apex[0] + y * this.apex[1] + z * this.apex[2]) / r;
            rho = harrisPriesterDensity(h, cosPsi, o.drag.harrisPriesterN);
          }
        }
        if (rho > 0) {
          // ω⊕ along the Earth-fixed z axis expressed in GCRF: third row of R
          const w = this.options.rotation.rateRadS;
          const wx = w * R[6];
          const wy = w * R[7];
          const wz = w * R[8];
          dragAcceleration(vx - (wy * z - wz * y), vy - (wz * x - wx * z), vz - (wx * y - wy * x), rho, o.drag.cd, o.drag.areaM2, this.massKg(t), out);
        }
      }
    }
    // indexed loop: a for-of would allocate an iterator per evaluation
    for (let ib = 0; ib < this.burns.length; ib++) {
      const burn = this.burns[ib];
      const acc = burn.thrustN !== undefined ? burn.thrustN / this.massKg(t) / 1000 : (burn.accelKmS2 ?? 0);
      let dx = burn.dir[0];
      let dy = burn.dir[1];
      let dz = burn.dir[2];
      if (burn.local) {
        const ax = localAxes(burn.local, x, y, z, vx, vy, vz);
        // inertial = Rᵀ d with rows of `ax` the local axes in GCRF
        const ix = ax[0] * dx + ax[3] * dy + ax[6] * dz;
        const iy = ax[1] * dx + ax[4] * dy + ax[7] * dz;
        const iz = ax[2] * dx + ax[5] * dy + ax[8] * dz;
        dx = ix;
        dy = iy;
        dz = iz;
      }
      out[0] += acc * dx;
      out[1] += acc * dy;
      out[2] += acc * dz;
    }
  }

  /** True when the SRP force has a shadow whose boundaries can be located (`shadowSwitching`). */
  get hasShadow(): boolean {
    return Boolean(this.options.srp?.shadow);
  }

  /** The two shadow switching functions (penumbra, umbra boundaries; forces.ts `shadowBoundaries`) at t for a GCRF position. */
  shadowSwitching(t: number, x: number, y: number, z: number, out: Float64Array): void {
    const b = this.bodiesAt(t);
    shadowBoundaries(x, y, z, b[0], b[1], b[2], out);
  }

  /** Total acceleration (GCRF, km/s²) into out[0..2]. */
  acceleration(t: number, x: number, y: number, z: number, vx: number, vy: number, vz: number, out: Float64Array): void {
    this.perturbation(t, x, y, z, vx, vy, vz, out);
    const r2 = x * x + y * y + z * z;
    const k = -this.mu / (r2 * Math.sqrt(r2));
    out[0] += k * x;
    out[1] += k * y;
    out[2] += k * z;
  }

  /** Use the analytic geopotential gradient (Geopotential.gradientItrf) in `partials`; false: central differences as for the other forces. */
  analyticGeopotentialGradient = true;
  private readonly gItrf = new Float64Array(9);

  /**
   * Partials ∂a/∂r (G, 3×3 row-major) and ∂a/∂v (D) for the variational equations
   * (Montenbruck & Gill 2000, §7.2, eq. 7.41: Φ̇ = [[0, I], [G, D]] Φ). Gravity: with a
   * geopotential, its exact gradient (central term included) rotated to GCRF, G = Rᵀ G_itrf R
   * (Geopotential.gradientItrf: Cunningham's derivative rules applied twice); without one, the
   * point mass G₀ = μ/r⁵ (3 r rᵀ − r² I) (M&G eq. 7.45). The other forces (Sun, Moon, SRP, drag,
   * thrust) by a central difference of their acceleration (steps 1 m and 1 mm/s), as M&G's own
   * implementation does (§7.2.1): they are ≤ 1e-5 of the central term here, so a relative error
   * ~1e-8 of their gradient is negligible. D is zero unless a force depends on v.
   */
  partials(t: number, x: number, y: number, z: number, vx: number, vy: number, vz: number, G: Float64Array, D: Float64Array): boolean {
    const p = [x, y, z];
    const geo = this.options.geopotential;
    const analytic = this.analyticGeopotentialGradient && geo !== undefined && geo.degree >= 1;
    if (analytic) {
      const R = this.rotationAt(t);
      const xe = R[0] * x + R[1] * y + R[2] * z;
      const ye = R[3] * x + R[4] * y + R[5] * z;
      const ze = R[6] * x + R[7] * y + R[8] * z;
      const Gi = this.gItrf;
      geo.gradientItrf(xe, ye, ze, Gi);
      // G = Rᵀ Gi R
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          let sum = 0;
          for (let k = 0; k < 3; k++) for (let l = 0; l < 3; l++) sum += R[3 * k + i] * Gi[3 * k + l] * R[3 * l + j];
          G[3 * i + j] = sum;
        }
    } else {
      const r2 = x * x + y * y + z * z;
      const r = Math.sqrt(r2);
      const k = this.mu / (r2 * r2 * r);
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) G[3 * i + j] = k * (3 * p[i] * p[j] - (i === j ? r2 : 0));
    }
    const st = [x, y, z, vx, vy, vz];
    const pp = this.pPlus;
    const pm = this.pMinus;
    const hasPert = this.hasPerturbations(!analytic);
    if (hasPert) {
      for (let j = 0; j < 3; j++) {
        st[j] = p[j] + FD_POS_KM;
        this.perturbation(t, st[0], st[1], st[2], vx, vy, vz, pp, !analytic);
        st[j] = p[j] - FD_POS_KM;
        this.perturbation(t, st[0], st[1], st[2], vx, vy, vz, pm, !analytic);
        st[j] = p[j];
        for (let i = 0; i < 3; i++) G[3 * i + j] += (pp[i] - pm[i]) / (2 * FD_POS_KM);
      }
    }
    const vDep = this.velocityDependent;
    if (vDep) {
      const v = [vx, vy, vz];
      for (let j = 0; j < 3; j++) {
        st[3 + j] = v[j] + FD_VEL_KMS;
        this.perturbation(t, x, y, z, st[3], st[4], st[5], pp, false);
        st[3 + j] = v[j] - FD_VEL_KMS;
        this.perturbation(t, x, y, z, st[3], st[4], st[5], pm, false);
        st[3 + j] = v[j];
        for (let i = 0; i < 3; i++) D[3 * i + j] = (pp[i] - pm[i]) / (2 * FD_VEL_KMS);
      }
    } else D.fill(0);
    return vDep;
  }

  private hasPerturbations(withGeopotential: boolean): boolean {
    const o = this.options;
    return Boolean((withGeopotential && o.geopotential && o.geopotential.degree >= 1) || o.sun || o.moon || o.drag || o.srp || this.burns.length);
  }
}

/**
 * Local orbital axes as rows (GCRF components) of a 3×3 row-major array: RTN = radial,
 * transverse (h × r), normal (h); TNW = tangential (v), normal in plane (w × t), w = h/|h|.
 * Same conventions as sdk/astro/frames/local.ts (Vallado §3.3 RSW/NTW).
 */
export function localAxes(kind: 'RTN' | 'TNW', x: number, y: number, z: number, vx: number, vy: number, vz: number): number[] {
  const hx = y * vz - z * vy;
  const hy = z * vx - x * vz;
  const hz = x * vy - y * vx;
  const hn = Math.sqrt(hx * hx + hy * hy + hz * hz);
  const w = [hx / hn, hy / hn, hz / hn];
  let a: number[];
  if (kind === 'RTN') {
    const r = Math.sqrt(x * x + y * y + z * z);
    a = [x / r, y / r, z / r];
  } else {
    const v = Math.sqrt(vx * vx + vy * vy + vz * vz);
    a = [vx / v, vy / v, vz / v];
  }
  // second axis = w × a (RTN: T = N × R; TNW: N = W × T)
  const b = [w[1] * a[2] - w[2] * a[1], w[2] * a[0] - w[0] * a[2], w[0] * a[1] - w[1] * a[0]];
  return [a[0], a[1], a[2], b[0], b[1], b[2], w[0], w[1], w[2]];
}
