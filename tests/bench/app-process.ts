// Child process for the benchmarks: the real service (createService) configured from the environment
// the parent passes, listening on 127.0.0.1 on an ephemeral port. The outbox worker starts only when
// BENCH_START_WORKER=1. Reports { type: 'ready', url } over IPC.
import { readConfig } from '../../src/config.ts';
import { createService } from '../../src/service.ts';
import { reportFailure, serveParent } from './child-ipc.ts';

try {
  const config = readConfig(process.env);
  const service = await createService(config);
  const startWorker = process.env.BENCH_START_WORKER === '1';
  if (startWorker) service.worker.start();
  const url = await service.server.listen({ port: 0, host: '127.0.0.1' });
  serveParent(() => service.close());
  process.send?.({ type: 'ready', url });
} catch (error) {
  reportFailure(error);
}
