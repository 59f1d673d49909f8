import { CollisionProbabilityToken } from '../../interfaces/services/collision';
import { definePlugin } from '../../sdk';
import { CollisionProbabilityConfig } from './config';
import { PcService } from './service';

export default definePlugin({
  name: 'collision-probability',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'Probability of collision: Foster/Elrod 2D (circle and square), Chan, Alfano, Patera, max-Pc (Alfriend/Frisbee), Monte Carlo (linear and two-body); covariance repair and 2D-validity flags.',
  provides: [CollisionProbabilityToken],
  config: CollisionProbabilityConfig,
  start(ctx) {
    const c = ctx.config;
    ctx.provide(
      CollisionProbabilityToken,
      new PcService({
        relTol: c.relTol,
        lowRelativeSpeedMS: c.lowRelativeSpeedMS,
        longEncounterFraction: c.longEncounterFraction,
        encounterSigma: c.encounterSigma,
        monteCarloSamples: c.monteCarlo.samples,
        monteCarloSeed: c.monteCarlo.seed,
        maxMonteCarloSamples: c.monteCarlo.maxSamples,
      }),
    );
  },
});
