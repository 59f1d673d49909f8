import { EventDetector, type EventFunction } from './events';
import { IntegrationError, Integrator, type OdeFunction, type StepperOptions } from './integrator';

/**
 * One-call integration of y' = f(t, y) from t0 to tEnd (forward or backward), with
 * states at requested times from the dense output, events located on the dense output,
 * a per-step callback and cancellation by AbortSignal.
 */

export interface StepInfo {
  /** The accepted step [tPrev, t] (t may be an event time where the step was cut). */
  tPrev: number;
  t: number;
  /** State at t (do not keep: reused). */
  y: Float64Array;
  /** Dense output on [tPrev, t]; valid only during the callback. */
  dense: (t: number, out?: Float64Array) => Float64Array;
}

export interface IntegrateOptions extends StepperOptions {
  f: OdeFunction;
  t0: number;
  y0: ArrayLike<number>;
  tEnd: number;
  /** Times at which the state is wanted, ordered in the direction of integration, within [t0, tEnd]. */
  outputTimes?: ArrayLike<number>;
  events?: readonly EventFunction[];
  /** Called after each accepted step; returning 'stop' ends the integration there. */
  onStep?: (step: StepInfo) => void | 'stop';
  /** Checked before each step; an aborted signal ends with IntegrationError('ABORTED'). */
  signal?: AbortSignal;
}

export interface EventRecord {
  index: number;
  t: number;
  /** State at the event, before any reset. */
  y: Float64Array;
  /** True when g increases with t across the event. */
  increasing: boolean;
}

export interface IntegrateResult {
  /** Final time: tEnd, or the time where an event or the step callback stopped. */
  t: number;
  y: Float64Array;
  /** True when an event or the step callback stopped the integration before tEnd. */
  stopped: boolean;
  steps: number;
  rejected: number;
  evaluations: number;
  /** States at the requested output times reached (all of them unless stopped). */
  outputs: { t: number; y: Float64Array }[];
  /** Events in chronological order. */
  events: EventRecord[];
}

export function integrate(options: IntegrateOptions): IntegrateResult {
  const { f, t0, y0, tEnd } = options;
  const integ = new Integrator(f, t0, y0, tEnd, options);
  const dir = integ.direction;
  const outTimes = checkOutputTimes(options.outputTimes, t0, tEnd, dir);
  const detector = options.events && options.events.length > 0 ? new EventDetector(options.events, integ.n) : undefined;
  detector?.init(t0, integ.y);

  const outputs: IntegrateResult['outputs'] = [];
  const events: EventRecord[] = [];
  let nextOut = 0;
  /** Emits every pending output time up to `tLimit` (inclusive) from the current step. */
  const emitUpTo = (tLimit: number): void => {
    while (nextOut < outTimes.length && dir * (outTimes[nextOut] - tLimit) <= 0) {
      const to = outTimes[nextOut++];
      outputs.push({ t: to, y: integ.dense(to) });
    }
  };
  const dense = (t: number, out?: Float64Array): Float64Array => integ.dense(t, out);
  const finish = (t: number, y: Float64Array, stopped: boolean): IntegrateResult => ({
    t,
    y,
    stopped,
    steps: integ.stats.steps,
    rejected: integ.stats.rejected,
    evaluations: integ.stats.evaluations,
    outputs,
    events,
  });

  emitUpTo(t0);
  while (!integ.done) {
    if (options.signal?.aborted) {
      throw new IntegrationError('ABORTED', `integration aborted at t = ${integ.t}`, integ.t);
    }
    integ.step();
    const hits = detector ? detector.scan(integ.tPrev, integ.t, integ.y, dense) : [];
    let cut: { t: number; y: Float64Array; reset?: ArrayLike<number> } | undefined;
    for (const hit of hits) {
      emitUpTo(hit.t);
      const yEvent = integ.dense(hit.t);
      events.push({ index: hit.index, t: hit.t, y: yEvent, increasing: hit.increasing });
      const action = options.events![hit.index].onEvent?.(hit.t, Float64Array.from(yEvent), hit.index) ?? 'continue';
      if (action === 'continue') continue;
      if (action === 'stop') {
        cut = { t: hit.t, y: yEvent };
      } else if (typeof action === 'object' && action !== null && 'reset' in action) {
        cut = { t: hit.t, y: yEvent, reset: action.reset };
      } else {
        throw new IntegrationError('INPUT', `events[${hit.index}].onEvent returned ${JSON.stringify(action)}; expected 'continue', 'stop' or { reset: y }`, hit.t);
      }
      break; // later crossings in this step belong to a trajectory that no longer exists
    }
    if (!cut) emitUpTo(integ.t);
    const stepEnd = cut ?? { t: integ.t, y: integ.y };
    const verdict = options.onStep?.({ tPrev: integ.tPrev, t: stepEnd.t, y: stepEnd.y, dense });
    if (cut && !cut.reset) return finish(cut.t, Float64Array.from(cut.y), true);
    if (cut?.reset) {
      integ.restart(cut.t, cut.reset);
      detector!.init(cut.t, integ.y);
    }
    if (verdict === 'stop') return finish(integ.t, Float64Array.from(integ.y), !integ.done);
  }
  return finish(integ.t, Float64Array.from(integ.y), false);
}

function checkOutputTimes(times: ArrayLike<number> | undefined, t0: number, tEnd: number, dir: 1 | -1): Float64Array {
  if (!times) return new Float64Array(0);
  const out = Float64Array.from(times);
  const lo = Math.min(t0, tEnd);
  const hi = Math.max(t0, tEnd);
  for (let i = 0; i < out.length; i++) {
    if (!(out[i] >= lo && out[i] <= hi)) throw new IntegrationError('INPUT', `outputTimes[${i}] = ${out[i]} is outside [${lo}, ${hi}]`);
    if (i > 0 && dir * (out[i] - out[i - 1]) < 0) {
      throw new IntegrationError('INPUT', `outputTimes[${i}] = ${out[i]} is out of order: times must run ${dir > 0 ? 'forward' : 'backward'} like the integration`);
    }
  }
  return out;
}
