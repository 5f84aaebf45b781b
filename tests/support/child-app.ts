import { type ChildProcess, fork } from 'node:child_process';
import type { RegisteredJobs } from '../../jobs/register-jobs.ts';

export interface ChildApp {
  url: string;
  pid: number;
  /** Fires a job once, as the scheduler would at `fireAt`; resolves when the fire has finished. */
  runJob(job: keyof RegisteredJobs, fireAt: Date): Promise<boolean>;
  /** A read through the child's own connection (on PGlite, nothing else may open the directory). */
  query<T>(sql: string): Promise<T[]>;
  /** SIGKILL: no shutdown, no flush, requests in flight cut; resolves once the process is gone. */
  kill(): Promise<void>;
  /** A clean stop (worker drained, database closed); kills it if that takes too long. */
  close(): Promise<void>;
}

type Reply = { id: number; ok: boolean; error?: string; ran?: boolean; rows?: unknown[] };

/** Starts the service in a child process (child-app-process.ts) with exactly `env`, and waits until it listens. */
export async function startChildApp(env: Record<string, string>, timeoutMs = 90_000): Promise<ChildApp> {
  const child: ChildProcess = fork(new URL('./child-app-process.ts', import.meta.url), [], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pending = new Map<number, (reply: Reply) => void>();
  let nextId = 0;
  const url = await new Promise<string>((resolve, reject) => {
    // A deadline, not a wait: the promise settles on the child's 'ready' message.
    const timer = setTimeout(
      () => reject(new Error(`the child app did not start in ${timeoutMs} ms`)),
      timeoutMs,
    );
    child.on('message', (raw) => {
      const message = raw as { type?: string; url?: string; error?: string } & Partial<Reply>;
      if (message.type === 'ready' && message.url) {
        clearTimeout(timer);
        resolve(message.url);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`the child app failed to start: ${message.error}`));
      } else if (typeof message.id === 'number') {
        pending.get(message.id)?.(message as Reply);
        pending.delete(message.id);
      }
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error('the child app exited before it was ready'));
    });
  }).catch(async (error: unknown) => {
    child.kill('SIGKILL');
    await exited;
    throw error;
  });
  void exited.then(() => {
    for (const answer of pending.values()) answer({ id: -1, ok: false, error: 'the child app exited' });
    pending.clear();
  });

  const ask = (request: Record<string, unknown>): Promise<Reply> => {
    if (child.exitCode !== null || child.signalCode !== null)
      return Promise.reject(new Error('the child app is not running'));
    const id = nextId++;
    return new Promise<Reply>((resolve, reject) => {
      pending.set(id, (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))));
      child.send({ ...request, id });
    });
  };

  return {
    url,
    pid: child.pid ?? -1,
    async runJob(job, fireAt) {
      return (await ask({ type: 'run-job', job, fireAt: fireAt.toISOString() })).ran ?? false;
    },
    async query<T>(sql: string) {
      return ((await ask({ type: 'query', sql })).rows ?? []) as T[];
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const stopped = ask({ type: 'close' }).catch(() => undefined);
      // A deadline, not a wait: a clean stop ends as soon as the child exits.
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await Promise.race([stopped.then(() => exited), exited]);
      clearTimeout(timer);
    },
  };
}
