import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { startEmbeddedPlatform } from './embedded-platform';
import { seedDemo } from './demo';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  // no well-known token: a fresh one per start unless OPERATOR_TOKEN is given (printed below, as the demo key is)
  const operatorToken = process.env.OPERATOR_TOKEN || randomBytes(24).toString('base64url');
  const platform = await startEmbeddedPlatform({
    port,
    dataDir: process.env.LIVEPROMO_DATA_DIR || undefined,
    logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'warn',
    env: { OPERATOR_TOKEN: operatorToken },
  });
  const stop = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping livepromo…\n`);
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  let demo = '';
  if (process.env.LIVEPROMO_DEMO !== '0') {
    const { key, readySec, events } = await seedDemo(platform, operatorToken);
    demo = `\n  demo ready ${process.uptime().toFixed(1)} s after start, ${readySec.toFixed(1)} s of it seeding (${events} events; the live room keeps streaming)\n  demo tenant "demo": Authorization: Bearer ${key}\n  try: curl -H 'Authorization: Bearer ${key}' '${platform.url}/v1/roi/reports?dimension=streamer'\n`;
  }
  process.stdout.write(
    `\nlivepromo is running (embedded mode) at ${platform.url}\n  API docs: ${platform.url}/docs\n  operator console: ${platform.url}/console/ (sign in with a tenant API key)\n  operator token (admin routes, X-Operator-Token): ${operatorToken}${demo}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`livepromo failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
