import { definePlugin, type HealthReport } from '../../sdk';
import { NumericalPropagatorToken } from '../../interfaces/services/propagation';
import { EopProviderToken, GravityFieldProviderToken } from '../../interfaces/services/reference-data';
import { numericalPropagatorConfig } from './config';
import { NumericalPropagatorService } from './service';

let current: NumericalPropagatorService | undefined;

export default definePlugin({
  name: 'numerical-propagator',
  version: '1.1.0',
  kernel: '^1.0.0',
  description: 'Cowell propagation in GCRF (DOP853): geopotential n×m, Sun/Moon, SRP with conical shadow, Harris–Priester drag, manoeuvres, covariance by STM',
  provides: [NumericalPropagatorToken],
  requires: [
    { token: EopProviderToken, optional: true },
    { token: GravityFieldProviderToken, optional: true },
  ],
  config: numericalPropagatorConfig,
  start(ctx) {
    const service = new NumericalPropagatorService(ctx.config, {
      eop: () => ctx.services.tryGet(EopProviderToken),
      gravity: () => ctx.services.tryGet(GravityFieldProviderToken),
      log: ctx.log,
      signal: ctx.signal,
    });
    current = service;
    ctx.provide(NumericalPropagatorToken, {
      propagate: (request) => service.propagate(request),
      capabilities: () => service.capabilities(),
    });
    ctx.onDispose(() => {
      if (current === service) current = undefined;
    });
  },
  health(): HealthReport {
    const s = current;
    if (!s) return { status: 'ok', detail: 'not started' };
    const st = s.stats;
    const eop = st.zeroEopRequests > 0 ? `; ${st.zeroEopRequests} request(s) used ZERO EOP (no eop.provider running)` : '';
    return {
      status: 'ok',
      detail: `gravity: ${st.gravitySource}${eop}`,
      metrics: { requests: st.requests, subjects: st.subjects, states: st.states, subjectErrors: st.subjectErrors, zeroEopRequests: st.zeroEopRequests, lastEvaluations: st.lastEvaluations },
    };
  },
});
