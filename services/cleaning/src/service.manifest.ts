import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'cleaning' as ServiceName,
  defaultPort: 3002,
  title: 'livepromo cleaning',
  description: 'Validates, normalises, deduplicates and de-noises raw events into events.clean.v1; everything else lands in events.dlq.v1 with a reason.',
} as const;
