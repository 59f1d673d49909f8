/**
 * Numerical integrators for sdk/astro: RK4, Dormand–Prince 5(4) and DOP853 with adaptive
 * step control, dense output and event location. See ./integrate for the one-call API and
 * ./integrator for the step-by-step object propagators drive.
 */
export { integrate, type IntegrateOptions, type IntegrateResult, type EventRecord, type StepInfo } from './integrate';
export {
  Integrator,
  IntegrationError,
  type IntegrationErrorReason,
  type IntegrationMethod,
  type IntegratorStats,
  type OdeFunction,
  type StepperOptions,
} from './integrator';
export { EventDetector, brentRoot, goldenSectionMin, type EventAction, type EventDirection, type EventFunction, type EventHit, type RootResult } from './events';
export { DP54, DP853, RK4, type ButcherTableau } from './tableaus';
export { orderConditionResiduals, rootedTrees, rowSumResidual } from './order-conditions';
