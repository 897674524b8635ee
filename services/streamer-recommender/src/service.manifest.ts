import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'streamer-recommender' as ServiceName,
  defaultPort: 3004,
  title: 'livepromo streamer-recommender',
  description: 'Which streamer should sell which course to which audience: content-based, collaborative filtering and their hybrid, with reasons.',
} as const;
