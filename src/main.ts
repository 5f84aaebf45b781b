import { ConfigError, readConfig } from './config.ts';
import { installProcessGuard } from './process-guard.ts';
import { createService } from './service.ts';

async function main(): Promise<void> {
  let config: ReturnType<typeof readConfig>;
  try {
    config = readConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const service = await createService(config);
  installProcessGuard(service.server.log);
  service.identity.start();
  service.worker.start();
  await service.server.listen({ port: config.PORT, host: config.HOST });
  service.scheduler.start();
  // A morning digest that a restart interrupted (or that no replica was up for) is sent now.
  await service.scheduler.catchUp([service.jobs.morningDigest]);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    service.server.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await service.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
