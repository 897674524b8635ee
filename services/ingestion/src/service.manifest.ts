import { ServiceName } from '@livepromo/contracts';
import { configureIngestionBody } from './body-parsers';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'ingestion' as ServiceName,
  defaultPort: 3001,
  title: 'livepromo ingestion',
  description: 'The front door: HTTP batches, signed webhooks and bulk imports, published to ingest.raw.v1 after Kafka acknowledged them.',
  configureBody: configureIngestionBody,
} as const;
