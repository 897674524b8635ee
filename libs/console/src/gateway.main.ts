/**
 * `npm run start:distributed` starts this beside the services: one origin on GATEWAY_PORT (default 3000) for the
 * operator console and the whole REST API. LIVEPROMO_SERVICE_URLS: "ingestion=http://127.0.0.1:3001,cleaning=…".
 */
import { startGateway } from './gateway';

const services = Object.fromEntries(
  (process.env.LIVEPROMO_SERVICE_URLS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const i = s.indexOf('=');
      if (i <= 0) throw new Error(`LIVEPROMO_SERVICE_URLS: expected name=url, got ${JSON.stringify(s)}`);
      return [s.slice(0, i), s.slice(i + 1)];
    }),
);
if (Object.keys(services).length === 0) {
  process.stderr.write('gateway: LIVEPROMO_SERVICE_URLS is empty (expected name=url,...)\n');
  process.exit(2);
}
void startGateway({ port: Number(process.env.GATEWAY_PORT ?? 3000), host: process.env.HOST?.trim() || '127.0.0.1', services }).then((g) => {
  process.stderr.write(`gateway on ${g.url}: console ${g.url}/console/, API routes of ${Object.keys(services).join(', ')}\n`);
  const stop = () => void g.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
});
