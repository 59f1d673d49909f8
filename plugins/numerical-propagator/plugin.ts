import { definePlugin, type HealthReport } from '../../sdk';
import { AnalyticalPropagatorToken, NumericalPropagatorToken, Sgp4PropagatorToken } from '../../interfaces/services/propagation';
import { EopProviderToken, GravityFieldProviderToken, SpaceWeatherProviderToken } from '../../interfaces/services/reference-data';
import { numericalPropagatorConfig } from './config';
import { NumericalPropagatorService } from './service';

let current: NumericalPropagatorService | undefined;

export default definePlugin({
  name: 'numerical-propagator',
  version: '1.2.0',
  kernel: '^1.0.0',
  description: 'Cowell propagation in GCRF (DOP853): geopotential n×m, Sun/Moon, SRP with conical shadow, Harris–Priester or NRLMSISE-00 drag, manoeuvres, covariance by STM',
  provides: [NumericalPropagatorToken],
  requires: [
    { token: EopProviderToken, optional: true },
    { token: GravityFieldProviderToken, optional: true },
    { token: SpaceWeatherProviderToken, optional: true },
    { token: Sgp4PropagatorToken, optional: true },
    { token: AnalyticalPropagatorToken, optional: true },
  ],
  config: numericalPropagatorConfig,
  start(ctx) {
    const service = new NumericalPropagatorService(ctx.config, {
      eop: () => ctx.services.tryGet(EopProviderToken),
      gravity: () => ctx.services.tryGet(GravityFieldProviderToken),
      spaceWeather: () => ctx.services.tryGet(SpaceWeatherProviderToken),
      sgp4: () => ctx.services.tryGet(Sgp4PropagatorToken),
      analytical: () => ctx.services.tryGet(AnalyticalPropagatorToken),
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
    const sw = st.spaceWeatherSource ? `; NRLMSISE-00 inputs: ${st.spaceWeatherSource}` : '';
    const swx = st.extrapolatedSpaceWeatherRequests > 0 ? `; ${st.extrapolatedSpaceWeatherRequests} request(s) used space weather EXTRAPOLATED beyond the provider's table` : '';
    return {
      status: 'ok',
      detail: `gravity: ${st.gravitySource}${eop}${sw}${swx}`,
      metrics: {
        requests: st.requests,
        subjects: st.subjects,
        states: st.states,
        subjectErrors: st.subjectErrors,
        zeroEopRequests: st.zeroEopRequests,
        lastEvaluations: st.lastEvaluations,
        lastDensityCalls: st.lastDensityCalls,
        extrapolatedSpaceWeatherRequests: st.extrapolatedSpaceWeatherRequests,
      },
    };
  },
});
