import { definePlugin, type HealthReport } from '../../sdk';
import { AnalyticalPropagatorToken } from '../../interfaces/services/propagation';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import { analyticalConfig } from './config';
import { AnalyticalPropagatorService } from './service';

let current: AnalyticalPropagatorService | undefined;

export default definePlugin({
  name: 'analytical-propagators',
  version: '1.1.0',
  kernel: '^1.0.0',
  description: 'Keplerian, J2-secular and Eckstein-Hechler (mean elements, J2..J6) propagation of Keplerian elements or states, covariance by STM',
  provides: [AnalyticalPropagatorToken],
  requires: [{ token: EopProviderToken, optional: true }],
  config: analyticalConfig,
  start(ctx) {
    const service = new AnalyticalPropagatorService(ctx.config, { eop: () => ctx.services.tryGet(EopProviderToken), log: ctx.log });
    current = service;
    ctx.provide(AnalyticalPropagatorToken, { propagate: (r) => service.propagate(r), capabilities: () => service.capabilities() });
    ctx.onDispose(() => {
      if (current === service) current = undefined;
    });
  },
  health(): HealthReport {
    const s = current?.stats;
    if (!s) return { status: 'ok', detail: 'not started' };
    return {
      status: 'ok',
      detail: s.zeroEopRequests ? `${s.zeroEopRequests} request(s) converted frames with ZERO EOP (no eop.provider running)` : 'ok',
      metrics: { requests: s.requests, subjects: s.subjects, subjectErrors: s.subjectErrors, zeroEopRequests: s.zeroEopRequests },
    };
  },
});
