import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'ingestion' as ServiceName,
  defaultPort: 3001,
  title: 'livepromo ingestion',
  description: 'The front door: HTTP batches, signed webhooks and bulk imports, published to ingest.raw.v1 after Kafka acknowledged them.',
} as const;
