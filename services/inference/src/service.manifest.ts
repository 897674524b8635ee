import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'inference' as ServiceName,
  defaultPort: 3007,
  title: 'livepromo inference',
  description: 'ONNX models for live comments (intent, sentiment) and purchase propensity, trained by the project.',
} as const;
