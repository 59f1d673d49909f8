import { defineService } from '../../sdk/service';
import type { FileKind, Product } from '../domain/product';

/** `routine-operations`: scheduled daily chains. */
export interface RoutineOperations {
  chains(): Promise<{ name: string; cron: string; steps: string[]; lastRun?: { runId: string; status: 'ok' | 'partial' | 'failed'; finishedAtUtc: string } }[]>;
  /** Runs a chain now; resolves when it finishes. */
  run(chain: string): Promise<{ runId: string; status: 'ok' | 'partial' | 'failed'; steps: { name: string; status: 'ok' | 'skipped' | 'failed'; detail?: string }[] }>;
}
export const RoutineOperationsToken = defineService<RoutineOperations>({ name: 'routine', version: '1.0.0', description: 'Routine daily chains' });

/** `supervision`: module health, alarms, metrics. */
export interface Supervision {
  /** Prometheus text exposition format of all metrics. */
  metrics(): Promise<string>;
  alarms(): Promise<{ module: string; severity: 'warning' | 'critical'; message: string; sinceUtc: string }[]>;
}
export const SupervisionToken = defineService<Supervision>({ name: 'supervision', version: '1.0.0', description: 'Health, alarms, metrics' });

/** `archive`: product archive (SQLite by default, PostgreSQL for scale). */
export interface Archive {
  store(product: Product): Promise<{ stored: boolean; duplicateOf?: string }>;
  find(query: { kind?: FileKind; objectId?: string; fromUtc?: string; toUtc?: string; limit?: number }): Promise<Product[]>;
  get(productId: string): Promise<Product | null>;
  /** File content (UTF-8 text products) for download through the gateway. */
  read(productId: string): Promise<{ product: Product; text: string } | null>;
}
export const ArchiveToken = defineService<Archive>({ name: 'archive', version: '1.0.0', description: 'Product archive' });

/** `monthly-report`: monthly activity / quality / conjunction report. */
export interface MonthlyReport {
  generate(request: { month: string; format: 'html' | 'pdf' }): Promise<{ productId: string; path: string }>;
}
export const MonthlyReportToken = defineService<MonthlyReport>({ name: 'monthly-report', version: '1.0.0', description: 'Monthly report generation' });

/** `operator-console`: the web console; its service tells where it is served. */
export interface OperatorConsole {
  endpoint(): Promise<{ url: string }>;
}
export const OperatorConsoleToken = defineService<OperatorConsole>({ name: 'console', version: '1.0.0', description: 'Operator web console' });

/** `control-centre-gateway`: REST/WebSocket for control centres. */
export interface ControlCentreGateway {
  endpoint(): Promise<{ url: string; websocketUrl: string }>;
  clients(): Promise<{ client: string; role: string; connectedSinceUtc: string }[]>;
}
export const ControlCentreGatewayToken = defineService<ControlCentreGateway>({ name: 'gateway', version: '1.0.0', description: 'Control-centre gateway' });

/** `product-distribution`: delivery of products to subscribers with acknowledgements. */
export interface ProductDistribution {
  subscribers(): Promise<{ name: string; kinds: FileKind[]; channel: 'outbox' | 'http' | 'nats'; pending: number }[]>;
  deliveries(productId: string): Promise<{ subscriber: string; status: 'pending' | 'delivered' | 'acknowledged' | 'failed'; attempts: number; lastError?: string }[]>;
  redeliver(request: { productId: string; subscriber: string }): Promise<{ queued: boolean }>;
}
export const ProductDistributionToken = defineService<ProductDistribution>({ name: 'distribution', version: '1.0.0', description: 'Product delivery to subscribers' });
