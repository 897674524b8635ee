import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'content-optimiser' as ServiceName,
  defaultPort: 3005,
  title: 'livepromo content-optimiser',
  description: 'Watches live rooms in real time: windowed metrics, detectors and bandit-chosen suggestions.',
} as const;
