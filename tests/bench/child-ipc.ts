// The IPC side of a benchmark child: stats on request, a clean close, and no orphan when the parent dies.
import { performance } from 'node:perf_hooks';

type ParentMessage = { type: 'stats' } | { type: 'close' };

export function serveParent(close: () => Promise<void>): void {
  let lastElu = performance.eventLoopUtilization();
  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 8000);
    force.unref();
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (raw) => {
    const message = raw as ParentMessage;
    if (message.type === 'stats') {
      const elu = performance.eventLoopUtilization(lastElu);
      lastElu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
      process.send?.({
        type: 'stats',
        cpuMicros: cpu.user + cpu.system,
        elu: elu.utilization,
        memory: { rss, heapTotal, heapUsed, external, arrayBuffers },
      });
    } else if (message.type === 'close') {
      void shutdown();
    }
  });
  // The parent went away (crash, Ctrl-C): never outlive it.
  process.on('disconnect', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
}

export function reportFailure(error: unknown): never {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.send?.({ type: 'error', message });
  console.error(message);
  process.exit(1);
}
