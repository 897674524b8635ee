import { ServiceName } from '@livepromo/contracts';

/** What the platform needs to know to run this service (distributed or embedded). */
export const manifest = {
  service: 'roi' as ServiceName,
  defaultPort: 3006,
  title: 'livepromo roi',
  description: 'Revenue against cost: ledger, ROI reports, funnel, factor analysis and budget plans.',
} as const;
