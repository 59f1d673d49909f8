import type { ServiceToken } from '../../sdk/service';
import * as acquisition from './acquisition';
import * as collision from './collision';
import * as determination from './determination';
import * as mission from './mission';
import * as operations from './operations';
import * as predictions from './predictions';
import * as propagation from './propagation';
import * as referenceData from './reference-data';

export * from './reference-data';
export * from './acquisition';
export * from './propagation';
export * from './determination';
export * from './predictions';
export * from './collision';
export * from './mission';
export * from './operations';

/**
 * The module catalog of the design (40 modules) and the service each provides. A plugin
 * implementing a module provides that token; other modules require it. This table is the
 * wiring an integrator reads in one place.
 */
export const MODULE_SERVICES: Record<string, ServiceToken<any>> = {
  eop: referenceData.EopProviderToken,
  'space-weather': referenceData.SpaceWeatherProviderToken,
  'gravity-field': referenceData.GravityFieldProviderToken,
  'station-network': referenceData.StationNetworkToken,
  'file-inbox': acquisition.FileInboxToken,
  'tle-catalog': acquisition.CatalogToken,
  'tracking-data': acquisition.TrackingDataToken,
  'measurement-simulator': acquisition.MeasurementSimulatorToken,
  sgp4: propagation.Sgp4PropagatorToken,
  'analytical-propagators': propagation.AnalyticalPropagatorToken,
  'numerical-propagator': propagation.NumericalPropagatorToken,
  ephemeris: propagation.EphemerisServiceToken,
  iod: determination.InitialOrbitDeterminationToken,
  'orbit-determination': determination.OrbitDeterminationToken,
  'kalman-od': determination.SequentialOrbitDeterminationToken,
  covariance: determination.CovarianceServiceToken,
  'orbit-comparison': determination.OrbitComparisonToken,
  'tle-fit': determination.TleFitToken,
  'pass-prediction': predictions.PassPredictorToken,
  'pointing-predictions': predictions.PointingPredictorToken,
  events: predictions.EventPredictorToken,
  'ground-track': predictions.GroundTrackToken,
  'conjunction-screening': collision.ConjunctionScreenerToken,
  'collision-probability': collision.CollisionProbabilityToken,
  cdm: collision.CdmServiceToken,
  'risk-assessment': collision.RiskAssessmentToken,
  'avoidance-maneuver': collision.AvoidanceManeuverPlannerToken,
  notification: collision.NotifierToken,
  'maneuver-planning': mission.ManeuverPlannerToken,
  'station-keeping': mission.StationKeepingToken,
  'maneuver-calibration': mission.ManeuverCalibrationToken,
  'reentry-prediction': mission.ReentryPredictorToken,
  'launch-leop': mission.LaunchLeopToken,
  'routine-operations': operations.RoutineOperationsToken,
  supervision: operations.SupervisionToken,
  archive: operations.ArchiveToken,
  'monthly-report': operations.MonthlyReportToken,
  'operator-console': operations.OperatorConsoleToken,
  'control-centre-gateway': operations.ControlCentreGatewayToken,
  'product-distribution': operations.ProductDistributionToken,
};
