import { LoggerService } from '@nestjs/common';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Structured JSON-lines logger. Context fields such as eventId, tenantId, correlationId
 * are passed as the meta object and land as top-level keys, so logs can be joined to events.
 */
export class JsonLogger implements LoggerService {
  constructor(
    private readonly service: string,
    private level: LogLevel = 'info',
    private readonly sink: (line: string) => void = (l) => process.stdout.write(l + '\n'),
    private readonly base: Record<string, unknown> = {},
  ) {}

  child(fields: Record<string, unknown>): JsonLogger {
    return new JsonLogger(this.service, this.level, this.sink, { ...this.base, ...fields });
  }

  setLevel(level: LogLevel): void {
    this.level = level;
  }

  emit(level: LogLevel, msg: string, meta?: object): void {
    if (ORDER[level] < ORDER[this.level]) return;
    const line: Record<string, unknown> = { ts: new Date().toISOString(), level, service: this.service, msg, ...this.base };
    if (meta) Object.assign(line, meta);
    try {
      this.sink(JSON.stringify(line));
    } catch {
      this.sink(JSON.stringify({ ts: line.ts, level, service: this.service, msg }));
    }
  }

  debug(msg: string, meta?: object): void {
    this.emit('debug', msg, typeof meta === 'object' ? meta : { context: meta });
  }
  info(msg: string, meta?: object): void {
    this.emit('info', msg, meta);
  }
  warn(msg: string, meta?: object): void {
    this.emit('warn', String(msg), typeof meta === 'object' ? meta : { context: meta });
  }
  error(msg: string, meta?: object | string): void {
    this.emit('error', String(msg), typeof meta === 'object' ? meta : meta ? { trace: meta } : undefined);
  }
  // LoggerService compatibility (Nest calls log/verbose with a context string).
  log(msg: string, context?: string): void {
    this.emit('info', String(msg), context ? { context } : undefined);
  }
  verbose(msg: string, context?: string): void {
    this.emit('debug', String(msg), context ? { context } : undefined);
  }
  fatal(msg: string, context?: string): void {
    this.emit('error', String(msg), context ? { context, fatal: true } : { fatal: true });
  }
}
