import * as fs from 'node:fs';
import * as path from 'node:path';
import * as winston from 'winston';
import type { LogLevel, PluginLogger } from '../sdk/context';

/**
 * Root logger (winston) and one child logger per plugin carrying its name and version.
 *
 * Console output is readable text; the optional file output is JSON lines with size-based
 * rotation (winston's File transport: `maxsize` bytes, `maxFiles` kept). Levels can be set
 * per plugin; they are checked before anything is formatted, so a debug line of a quiet
 * plugin costs one comparison.
 */
export const LEVELS: Record<LogLevel, number> = { error: 0, warn: 1, info: 2, debug: 3, trace: 4 };

export interface LogSettings {
  level: LogLevel;
  console: boolean;
  file?: { path: string; maxSizeBytes: number; maxFiles: number };
  plugins: Record<string, LogLevel>;
}

export class LogHub {
  readonly root: winston.Logger;
  private settings: LogSettings;
  private secrets: string[] = [];
  private readonly fileTransport?: winston.transports.FileTransportInstance;

  constructor(settings: LogSettings, extraTransports: winston.transport[] = []) {
    this.settings = settings;
    const transports: winston.transport[] = [...extraTransports];
    if (settings.console) {
      transports.push(
        new winston.transports.Console({
          stderrLevels: ['error', 'warn', 'info', 'debug', 'trace'],
          format: winston.format.combine(
            winston.format.timestamp(),
            winston.format.printf((info) => {
              const { timestamp, level, message, plugin, version, ...rest } = info as Record<string, unknown>;
              const who = plugin ? ` [${plugin}${version ? '@' + version : ''}]` : ' [kernel]';
              const extra = Object.keys(rest).length ? ' ' + safeJson(rest) : '';
              return `${timestamp} ${String(level).toUpperCase().padEnd(5)}${who} ${message}${extra}`;
            }),
          ),
        }),
      );
    }
    if (settings.file) {
      fs.mkdirSync(path.dirname(settings.file.path), { recursive: true });
      this.fileTransport = new winston.transports.File({
        filename: settings.file.path,
        maxsize: settings.file.maxSizeBytes,
        maxFiles: settings.file.maxFiles,
        tailable: true,
        format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      });
      transports.push(this.fileTransport);
    }
    if (transports.length === 0) transports.push(new winston.transports.Console({ silent: true }));
    this.root = winston.createLogger({ levels: LEVELS, level: 'trace', transports });
  }

  /** Applies new levels (live: config reload changes levels without a restart). */
  updateLevels(level: LogLevel, plugins: Record<string, LogLevel>): void {
    this.settings = { ...this.settings, level, plugins };
  }

  /**
   * Values of configuration keys marked secret: replaced by a mask in every line, whoever
   * logs them (a plugin printing its own config must not leak its password).
   */
  setSecrets(values: string[]): void {
    this.secrets = values.filter((v) => v.length >= 3);
  }

  private scrub(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('********');
    return out;
  }

  levelOf(plugin?: string): LogLevel {
    return (plugin && this.settings.plugins[plugin]) || this.settings.level;
  }

  /** A logger for a plugin (name + version on every line) or for the kernel itself. */
  child(plugin?: string, version?: string): PluginLogger {
    const child = plugin ? this.root.child({ plugin, version }) : this.root;
    const emit = (level: LogLevel, message: string, meta?: Record<string, unknown>): void => {
      if (LEVELS[level] > LEVELS[this.levelOf(plugin)]) return;
      if (this.secrets.length === 0) {
        child.log(level, message, meta ? sanitizeMeta(meta) : undefined);
        return;
      }
      child.log(level, this.scrub(message), meta ? (JSON.parse(this.scrub(safeJson(sanitizeMeta(meta)))) as Record<string, unknown>) : undefined);
    };
    return {
      error: (m, meta) => emit('error', m, meta),
      warn: (m, meta) => emit('warn', m, meta),
      info: (m, meta) => emit('info', m, meta),
      debug: (m, meta) => emit('debug', m, meta),
      trace: (m, meta) => emit('trace', m, meta),
    };
  }

  /** Flushes and closes every transport (called on shutdown so the last lines are on disk). */
  async close(): Promise<void> {
    const done = new Promise<void>((resolve) => {
      if (!this.fileTransport) return resolve();
      this.fileTransport.once('finish', () => resolve());
      setTimeout(resolve, 2000).unref();
    });
    this.root.end();
    await done;
  }
}

function sanitizeMeta(meta: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  return out;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return '[unserializable]';
  }
}
