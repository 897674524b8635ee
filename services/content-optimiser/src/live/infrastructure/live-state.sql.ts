import { CounterField } from '../domain/live-window';

/** camelCase counter → prefixed snake_case column (`newViewers` → `c_new_viewers`; the prefix keeps `left` from being SQL). */
export function counterColumn(f: CounterField): string {
  return `c_${f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}`;
}

export { chunks, placeholders } from '@livepromo/persistence';
