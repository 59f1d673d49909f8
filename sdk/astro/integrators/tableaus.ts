/**
 * Butcher tableaus of the explicit Runge–Kutta methods offered by the integrators, with
 * their embedded error estimators and continuous extensions (dense output).
 *
 * Notation (Hairer, Nørsett & Wanner, "Solving Ordinary Differential Equations I",
 * 2nd ed., Springer 1993 — "HNW" below — §II.1): stage i evaluates
 *   k_i = f(t + c_i h, y + h Σ_{j<i} a_ij k_j),   y₁ = y + h Σ b_i k_i.
 * `a[i]` holds row i (length i, stages numbered from 0). The embedded error estimate is
 * h Σ e_i k_i with e = b − b̂.
 *
 * All coefficients are typed from the published tables named at each method, or derived
 * from them (noted); `orderConditionResiduals` in ./order-conditions checks every one of
 * them against Butcher's order conditions in the tests, so a typing error cannot hide.
 */

export interface ButcherTableau {
  readonly name: string;
  /** Order of the propagated solution (b). */
  readonly order: number;
  /** Order of the embedded solution b̂ used for the error estimate (0 when none). */
  readonly errorOrder: number;
  readonly c: readonly number[];
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  /** Error weights e = b − b̂ (empty when the method has no embedded estimate). */
  readonly e: readonly number[];
}

/**
 * Classical fourth-order Runge–Kutta ("the" Runge–Kutta method, Kutta 1901; HNW §II.1,
 * Table 1.2, left).
 */
export const RK4: ButcherTableau = {
  name: 'rk4',
  order: 4,
  errorOrder: 0,
  c: [0, 0.5, 0.5, 1],
  a: [[], [0.5], [0, 0.5], [0, 0, 1]],
  b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
  e: [],
};

/**
 * Continuous extension of RK4 of order 3 needing no extra evaluation (HNW §II.6, the
 * example following Theorem 6.1: b₁(θ) = θ − 3θ²/2 + 2θ³/3, b₂ = b₃ = θ² − 2θ³/3,
 * b₄ = −θ²/2 + 2θ³/3). Writes the weights b_i(θ) (multiplying h k_i) into `out`.
 */
export function rk4DenseWeights(theta: number, out: Float64Array): void {
  const t2 = theta * theta;
  const t3 = t2 * theta;
  out[0] = theta - 1.5 * t2 + (2 / 3) * t3;
  out[1] = t2 - (2 / 3) * t3;
  out[2] = out[1];
  out[3] = -0.5 * t2 + (2 / 3) * t3;
}

/**
 * Dormand & Prince RK5(4)7M: J. R. Dormand, P. J. Prince, "A family of embedded
 * Runge–Kutta formulae", J. Comput. Appl. Math. 6 (1980) 19–26, Table 2 (also HNW §II.5,
 * Table 5.2). Seven stages, the last one evaluated at the new solution (FSAL: "first same
 * as last"), so an accepted step costs six evaluations.
 */
export const DP54: ButcherTableau = {
  name: 'dp54',
  order: 5,
  errorOrder: 4,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
    [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84, 0],
  // e = b − b̂ with b̂ = (5179/57600, 0, 7571/16695, 393/640, −92097/339200, 187/2100, 1/40).
  e: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
};

/**
 * Fourth-order continuous extension of DP5(4) (L. F. Shampine, "Some practical Runge–Kutta
 * formulas", Math. Comp. 46 (1986) 135–150; HNW §II.6, eq. (6.12) and the dense-output
 * coefficients of DOPRI5). It is written in HNW's Hermite-like form
 *   y(t + θh) = y₀ + θ(Δ + (1−θ)(B + θ(Δ − h k₇ − B + (1−θ) h Σ d_i k_i)))
 * with Δ = y₁ − y₀ and B = h k₁ − Δ; `DP54_DENSE_D` are those d_i.
 */
export const DP54_DENSE_D: readonly number[] = [
  -12715105075 / 11282082432,
  0,
  87487479700 / 32700410799,
  -10690763975 / 1880347072,
  701980252875 / 199316789632,
  -1453857185 / 822651844,
  69997945 / 29380423,
];

/**
 * DOP853: the explicit Runge–Kutta method of order 8 of Dormand & Prince with Hairer's
 * error estimators of orders 5 and 3 (HNW §II.10, "An 8th order method with 5,3 error
 * estimator and 7th order dense output"; coefficients as published by E. Hairer and
 * G. Wanner with the book's codes). Twelve stages; stage 13 is f at the new solution
 * (reused as the first stage of the next step), stages 14–16 serve only the dense output.
 *
 * The nodes c₂…c₅ are the closed forms of the published decimals:
 * c₂ = (12 − 2√6)/135, c₃ = (6 − √6)/45, c₄ = (6 − √6)/30, c₅ = (6 + √6)/30.
 */
const SQRT6 = Math.sqrt(6);
/* eslint-disable no-loss-of-precision -- the published 30-digit decimals are kept verbatim
   so they can be checked against the source table; rounding to the nearest double is intended. */
export const DP853: ButcherTableau = {
  name: 'dp853',
  order: 8,
  errorOrder: 5,
  c: [0, (12 - 2 * SQRT6) / 135, (6 - SQRT6) / 45, (6 - SQRT6) / 30, (6 + SQRT6) / 30, 1 / 3, 1 / 4, 4 / 13, 127 / 195, 3 / 5, 6 / 7, 1],
  a: [
    [],
    [5.26001519587677318785587544488e-2],
    [1.97250569845378994544595329183e-2, 5.91751709536136983633785987549e-2],
    [2.95875854768068491816892993775e-2, 0, 8.87627564304205475450678981324e-2],
    [2.41365134159266685502369798665e-1, 0, -8.84549479328286085344864962717e-1, 9.24834003261792003115737966543e-1],
    [3.7037037037037037037037037037e-2, 0, 0, 1.70828608729473871279604482173e-1, 1.25467687566822425016691814123e-1],
    [3.7109375e-2, 0, 0, 1.70252211019544039314978060272e-1, 6.02165389804559606850219397283e-2, -1.7578125e-2],
    [
      3.70920001185047927108779319836e-2, 0, 0, 1.70383925712239993810214054705e-1, 1.07262030446373284651809199168e-1,
      -1.53194377486244017527936158236e-2, 8.27378916381402288758473766002e-3,
    ],
    [
      6.24110958716075717114429577812e-1, 0, 0, -3.36089262944694129406857109825, -8.68219346841726006818189891453e-1,
      2.75920996994467083049415600797e1, 2.01540675504778934086186788979e1, -4.34898841810699588477366255144e1,
    ],
    [
      4.77662536438264365890433908527e-1, 0, 0, -2.48811461997166764192642586468, -5.90290826836842996371446475743e-1,
      2.12300514481811942347288949897e1, 1.52792336328824235832596922938e1, -3.32882109689848629194453265587e1,
      -2.03312017085086261358222928593e-2,
    ],
    [
      -9.3714243008598732571704021658e-1, 0, 0, 5.18637242884406370830023853209, 1.09143734899672957818500254654,
      -8.14978701074692612513997267357, -1.85200656599969598641566180701e1, 2.27394870993505042818970056734e1,
      2.49360555267965238987089396762, -3.0467644718982195003823669022,
    ],
    [
      2.27331014751653820792359768449, 0, 0, -1.05344954667372501984066689879e1, -2.00087205822486249909675718444,
      -1.79589318631187989172765950534e1, 2.79488845294199600508499808837e1, -2.85899827713502369474065508674,
      -8.87285693353062954433549289258, 1.23605671757943030647266201528e1, 6.43392746015763530355970484046e-1,
    ],
  ],
  b: [
    5.42937341165687622380535766363e-2, 0, 0, 0, 0, 4.45031289275240888144113950566, 1.89151789931450038304281599044,
    -5.8012039600105847814672114227, 3.1116436695781989440891606237e-1, -1.52160949662516078556178806805e-1,
    2.01365400804030348374776537501e-1, 4.47106157277725905176885569043e-2,
  ],
  // Fifth-order estimator: e = b − b̂₅ (HNW §II.10 "ER" coefficients).
  e: [
    0.1312004499419488073250102996e-1, 0, 0, 0, 0, -0.1225156446376204440720569753e1, -0.4957589496572501915214079952,
    0.1664377182454986536961530415e1, -0.3503288487499736816886487290, 0.3341791187130174790297318841,
    0.8192320648511571246570742613e-1, -0.2235530786388629525884427845e-1,
  ],
};

/**
 * DOP853 third-order estimator: b̂₃ has weights only on stages 1, 9 and 12 (HNW §II.10,
 * "BHH" coefficients); the estimate is h(Σ b_i k_i − b̂₃·k).
 */
export const DP853_BHH: readonly [number, number, number] = [
  0.244094488188976377952755905512, 0.733846688281611857341361741547, 0.220588235294117647058823529412e-1,
];

/** DOP853 dense-output stages 14, 15, 16 (c = 0.1, 0.2, 7/9); rows over stages 1…13. */
export const DP853_EXTRA_C: readonly number[] = [0.1, 0.2, 7 / 9];
export const DP853_EXTRA_A: readonly (readonly number[])[] = [
  [
    5.61675022830479523392909219681e-2, 0, 0, 0, 0, 0, 2.53500210216624811088794765333e-1, -2.46239037470802489917441475441e-1,
    -1.24191423263816360469010140626e-1, 1.5329179827876569731206322685e-1, 8.20105229563468988491666602057e-3,
    7.56789766054569976138603589584e-3, -8.298e-3,
  ],
  [
    3.18346481635021405060768473261e-2, 0, 0, 0, 0, 2.83009096723667755288322961402e-2, 5.35419883074385676223797384372e-2,
    -5.49237485713909884646569340306e-2, 0, 0, -1.08347328697249322858509316994e-4, 3.82571090835658412954920192323e-4,
    -3.40465008687404560802977114492e-4, 1.41312443674632500278074618366e-1,
  ],
  [
    -4.28896301583791923408573538692e-1, 0, 0, 0, 0, -4.69762141536116384314449447206, 7.68342119606259904184240953878,
    4.06898981839711007970213554331, 3.56727187455281109270669543021e-1, 0, 0, 0, -1.39902416515901462129418009734e-3,
    2.9475147891527723389556272149, -9.15095847217987001081870187138,
  ],
];

/**
 * DOP853 dense output (HNW §II.10): with Δ = y₁ − y₀, B = h k₁ − Δ, C = Δ − h k₁₃ − B and
 * D_m = h Σ_{i=1..16} d_{m,i} k_i (m = 4…7),
 *   y(t + θh) = y₀ + θ(Δ + θ'(B + θ(C + θ'(D₄ + θ(D₅ + θ'(D₆ + θ D₇)))))),  θ' = 1 − θ.
 * Rows are d₄…d₇ over stages 1…16 (zeros where the published table has no entry).
 */
export const DP853_DENSE_D: readonly (readonly number[])[] = [
  [
    -0.84289382761090128651353491142e1, 0, 0, 0, 0, 0.5667149535193777696253178359, -0.30689499459498916912797304727e1,
    0.2384667656512069828772814968e1, 0.21170345824450282767155149946e1, -0.8713915837779729920678990749,
    0.2240437430260788275854177165e1, 0.6315787787694688181557024929, -0.889903364513333108206981174e-1,
    0.18148505520854727256656404962e2, -0.91946323924783554000451984436e1, -0.4436036387594893966431057200e1,
  ],
  [
    0.10427508642579134603413151009e2, 0, 0, 0, 0, 0.24228349177525818288430175319e3, 0.16520045171727028198505394887e3,
    -0.37454675472269020279518312152e3, -0.22113666853125306036270938578e2, 0.77334326684722638389603898808e1,
    -0.30674084731089398182061213626e2, -0.93321305264302278729567221706e1, 0.15697238121770843886131091075e2,
    -0.31139403219565177677282850411e2, -0.93529243588444783865713862664e1, 0.3581684148639408375246589854e2,
  ],
  [
    0.19985053242002433820987653617e2, 0, 0, 0, 0, -0.38703730874935176555105901742e3, -0.18917813819516756882830838328e3,
    0.52780815920542364900561016686e3, -0.11573902539959630126141871134e2, 0.68812326946963000169666922661e1,
    -0.1000605096691083840318386098e1, 0.7777137798053443209286926574, -0.27782057523535084065932004339e1,
    -0.60196695231264120758267380846e2, 0.84320405506677161018159903784e2, 0.1199229113618278932803513003e2,
  ],
  [
    -0.25693933462703749003312586129e2, 0, 0, 0, 0, -0.15418974869023643374053993627e3, -0.23152937917604549567536039109e3,
    0.3576391179106141237828534991e3, 0.93405324183624310003907691704e2, -0.37458323136451633156875139351e2,
    0.10409964950896230045147246184e3, 0.29840293426660503123344363579e2, -0.43533456590011143754432175058e2,
    0.963245539591882829483949506e2, -0.39177261675615439165231486172e2, -0.14972683625798562581422125276e3,
  ],
];

/* eslint-enable no-loss-of-precision */

/**
 * Dense-output weights of DP5(4) over its 7 stages: y(t+θh) = y₀ + h Σ w_i(θ) k_i.
 * Expanded from the Hermite-like form of `DP54_DENSE_D` (with Δ = h Σ b_i k_i).
 */
export function dp54DenseWeights(theta: number, out: Float64Array): void {
  const b = DP54.b;
  const d = DP54_DENSE_D;
  const t1 = 1 - theta;
  // y − y₀ = θΔ + θθ'B + θ²θ'(Δ − hk₇ − B) + θ²θ'² h Σ d k, with B = hk₁ − Δ.
  const cDelta = theta - theta * t1 + 2 * theta * theta * t1; // coefficient of Δ
  const cK1 = theta * t1 - theta * theta * t1; // coefficient of h k₁ (from B terms)
  const cK7 = -theta * theta * t1;
  const cD = theta * theta * t1 * t1;
  for (let i = 0; i < 7; i++) out[i] = cDelta * b[i] + cD * d[i];
  out[0] += cK1;
  out[6] += cK7;
}

/**
 * Dense-output weights of DOP853 over its 16 stages (stage 13 = f at the new point,
 * 14–16 the extra stages): y(t+θh) = y₀ + h Σ w_i(θ) k_i. Expanded from the nested form
 * documented at `DP853_DENSE_D`.
 */
export function dp853DenseWeights(theta: number, out: Float64Array): void {
  const s = theta;
  const s1 = 1 - theta;
  // Coefficients of Δ, B, C, D₄…D₇ in the nested polynomial.
  const wDelta0 = s;
  const wB = s * s1;
  const wC = s * s1 * s;
  const w4 = wC * s1;
  const w5 = w4 * s;
  const w6 = w5 * s1;
  const w7 = w6 * s;
  // B = hk₁ − Δ; C = Δ − hk₁₃ − B = 2Δ − hk₁ − hk₁₃.
  const wDelta = wDelta0 - wB + 2 * wC;
  const wK1 = wB - wC;
  const wK13 = -wC;
  const b = DP853.b;
  const d = DP853_DENSE_D;
  for (let i = 0; i < 16; i++) {
    out[i] = (i < 12 ? wDelta * b[i] : 0) + w4 * d[0][i] + w5 * d[1][i] + w6 * d[2][i] + w7 * d[3][i];
  }
  out[0] += wK1;
  out[12] += wK13;
}
