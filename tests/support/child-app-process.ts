// The service in a child process, so a test can kill it (SIGKILL: no shutdown, nothing flushed)
// and start it again on the same database. Configured from the environment the parent passes; the
// outbox worker runs, the scheduler does not (jobs run when the parent asks). Talks over IPC:
//   -> { id, type: 'run-job', job, fireAt }   <- { id, ok }            one scheduler fire
//   -> { id, type: 'query', sql }             <- { id, ok, rows }      a read, for PGlite's sake
//   -> { id, type: 'close' }                  <- { id, ok }            a clean stop, then exit
// and sends { type: 'ready', url } once listening.
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../db/repositories/executor.ts';
import type { RegisteredJobs } from '../../jobs/register-jobs.ts';
import { readConfig } from '../../src/config.ts';
import { createService } from '../../src/service.ts';

type Request =
  | { id: number; type: 'run-job'; job: keyof RegisteredJobs; fireAt: string }
  | { id: number; type: 'query'; sql: string }
  | { id: number; type: 'close' };

// The test that started it is gone: never outlive it (on PGlite it would hold the data directory).
process.on('disconnect', () => process.exit(0));

try {
  const service = await createService(readConfig(process.env));
  service.worker.start();
  const url = await service.server.listen({ port: 0, host: '127.0.0.1' });
  process.on('message', (raw) => {
    const request = raw as Request;
    const answer = async () => {
      switch (request.type) {
        case 'run-job': {
          const job = service.jobs[request.job];
          if (!job) throw new Error(`the job ${request.job} is not scheduled`);
          return { ran: await service.scheduler.runOnce(job, new Date(request.fireAt)) };
        }
        case 'query':
          return { rows: rowsOf(await service.database.db.execute(sql.raw(request.sql))) };
        case 'close':
          await service.close();
          return {};
      }
    };
    answer().then(
      (result) => {
        process.send?.({ id: request.id, ok: true, ...result });
        if (request.type === 'close') process.exit(0);
      },
      (error: unknown) => process.send?.({ id: request.id, ok: false, error: String(error) }),
    );
  });
  process.send?.({ type: 'ready', url });
} catch (error) {
  process.send?.({
    type: 'failed',
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  });
  process.exit(1);
}
