import { definePlugin, type HealthReport } from '../../sdk';
import { Sgp4PropagatorToken } from '../../interfaces/services/propagation';
import { EopProviderToken } from '../../interfaces/services/reference-data';
import { sgp4Config } from './config';
import { Sgp4Service } from './service';

let current: Sgp4Service | undefined;

export default definePlugin({
  name: 'sgp4',
  version: '1.0.0',
  kernel: '^1.0.0',
  description: 'SGP4/SDP4 propagation of GP element sets (satellite.js), TEME or any sdk/astro frame, with a WASM bulk path for catalogs',
  provides: [Sgp4PropagatorToken],
  requires: [{ token: EopProviderToken, optional: true }],
  config: sgp4Config,
  start(ctx) {
    const service = new Sgp4Service(ctx.config, { eop: () => ctx.services.tryGet(EopProviderToken), log: ctx.log, signal: ctx.signal });
    current = service;
    ctx.provide(Sgp4PropagatorToken, {
      propagate: (request) => service.propagate(request),
      capabilities: () => service.capabilities(),
      propagateTemeBulk: (elements, times, onChunk) => service.propagateTemeBulk(elements, times, onChunk),
    });
    ctx.onDispose(async () => {
      if (current === service) current = undefined;
      await service.dispose();
    });
  },
  health(): HealthReport {
    const s = current;
    if (!s) return { status: 'ok', detail: 'not started' };
    const st = s.stats;
    const eop = st.zeroEopRequests > 0 ? `; ${st.zeroEopRequests} request(s) in GCRF/EME2000/ITRF-family frames used ZERO EOP (no eop.provider running)` : '';
    return {
      status: 'ok',
      detail: `last engine: ${st.lastEngine}${eop}`,
      metrics: { requests: st.requests, subjects: st.subjects, states: st.states, subjectErrors: st.subjectErrors, zeroEopRequests: st.zeroEopRequests },
    };
  },
});
