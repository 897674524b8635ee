import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'user-profile' as ServiceName,
  defaultPort: 3003,
  title: 'livepromo user-profile',
  description: 'User behaviour analysis: interests, purchase habits, interaction frequency, behaviour score and segments.',
} as const;
