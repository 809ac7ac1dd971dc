/**
 * Loggers render runner events. Apart from them, engine code writes to the console only for the
 * stale-build warning of hashing.ts.
 */
import type { RunEvent } from '../event.js';
import { describeReason } from '../explain.js';
import { formatLocation, type SourceLocation } from '../errors.js';

export interface Logger {
  log(event: RunEvent): void;
  /** Flushes and stops any live display. */
  close(): void;
}

/** Describes an event in one line for people; returns undefined for events that only update progress. */
export function describeEvent(event: RunEvent): string | undefined {
  switch (event.type) {
    case 'run-start':
      return `${event.pipeline}: ${event.total} instances, ${event.jobs} jobs`;
    case 'lock-wait':
      return `waiting for the cache lock held by pid ${event.holder.pid} on ${event.holder.hostname} (${event.holder.command})`;
    case 'lock-taken-over':
      return `took over a stale cache lock of pid ${event.holder.pid} (${event.holder.command}, since ${event.holder.startedAt}); that process is gone`;
    case 'instance-start':
      return `run    ${event.id}: ${event.reasons.map(describeReason).join('; ')}`;
    case 'instance-progress':
    case 'instance-cached':
      return undefined;
    case 'instance-warning':
      return `warn   ${event.id}: ${event.message}`;
    case 'instance-done':
      return `done   ${event.id} (${formatMs(event.wallMs)})`;
    case 'instance-failed': {
      const { location, message } = event.error;
      const where = location && !startsWithLocation(message, location) ? ` at ${formatLocation(location)}` : '';
      const hint = event.error.hint ? `\n  hint: ${event.error.hint}` : '';
      return `FAILED ${event.id}: ${event.error.name}: ${message}${where}${hint}\n  log: ${event.logPath}`;
    }
    case 'instance-skipped':
      return `skip   ${event.id}: ${event.reason}`;
    case 'interrupted':
      return `interrupted by ${event.signal}; stopping running stages`;
    case 'report-written':
      return `report ${event.html}`;
    case 'report-skipped':
      return `report skipped: ${event.reason}`;
    case 'run-end': {
      const s = event.summary;
      return `${s.pipeline}: ${s.executed} executed, ${s.cached} cached, ${s.failed} failed, ${s.skipped} skipped in ${formatMs(s.wallMs)}`;
    }
    default: {
      const unknown: never = event;
      return String(unknown);
    }
  }
}

/**
 * True when `message` already starts with `location` as `file:line:col`, where the file may be
 * written relative (`flowers.csv:2:5`) while `location.file` is absolute.
 */
export function startsWithLocation(message: string, location: SourceLocation): boolean {
  const position = formatLocation({ file: '', line: location.line, column: location.column });
  const match = /^(\S+?):?\s/.exec(message);
  if (match === null) return false;
  const written = match[1];
  if (!written.endsWith(position)) return false;
  const file = written.slice(0, written.length - position.length).replace(/\\/g, '/');
  const full = location.file.replace(/\\/g, '/');
  return file !== '' && (full === file || full.endsWith(`/${file.replace(/^\.\//, '')}`));
}

export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
