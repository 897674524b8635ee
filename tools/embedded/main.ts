import 'reflect-metadata';
import { startEmbeddedPlatform } from './embedded-platform';
import { seedDemo } from './demo';

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const platform = await startEmbeddedPlatform({
    port,
    dataDir: process.env.LIVEPROMO_DATA_DIR || undefined,
    logLevel: (process.env.LOG_LEVEL as 'info' | undefined) ?? 'warn',
    env: { OPERATOR_TOKEN: process.env.OPERATOR_TOKEN ?? 'dev-operator-token-change-me' },
  });
  const stop = async (signal: string) => {
    process.stderr.write(`\n${signal}: stopping livepromo…\n`);
    await platform.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
  if (process.env.LIVEPROMO_DEMO !== '0') await seedDemo(platform);
  process.stdout.write(`\nlivepromo is running (embedded mode) at ${platform.url}\n  API docs: ${platform.url}/docs\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`livepromo failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
