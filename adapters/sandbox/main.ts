// `npm run sandbox`: the whole product on this machine, without LINE or Slack accounts.
import { startSandbox } from './start-sandbox.ts';

const port = Number(process.env.SANDBOX_PORT ?? process.env.PORT ?? 3000);
const host = process.env.SANDBOX_HOST ?? '127.0.0.1';
const locale = process.env.LOCALE === 'en' ? 'en' : 'ja';

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `SANDBOX_PORT must be a port number (0-65535), got "${process.env.SANDBOX_PORT ?? process.env.PORT}"`,
  );
  process.exit(1);
}

try {
  const running = await startSandbox({ port, host, locale });
  console.log(`tsuikyaku sandbox: ${running.url}`);
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
} catch (error) {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE') {
    console.error(`Port ${port} is in use. Start on another one: SANDBOX_PORT=3100 npm run sandbox`);
  } else {
    console.error(error);
  }
  process.exit(1);
}
