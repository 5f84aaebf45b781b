import type { Logger } from './ports.ts';

let unhandled = 0;

/** How many promise rejections reached the process guard since start (each one is a bug to fix). */
export function unhandledRejectionCount(): number {
  return unhandled;
}

/**
 * The last line of defence: a rejection nobody handled is logged with its stack and counted
 * instead of ending the process, which would drop every request in flight. Every known path
 * handles its own failures, so a count above zero is a defect to report; tests fail on one.
 * A thrown exception (uncaughtException) is different: the process state may be broken, so it
 * is logged and the process exits for the supervisor to restart it cleanly, as after a crash.
 */
export function installProcessGuard(logger: Logger, target: NodeJS.Process = process): void {
  target.on('unhandledRejection', (reason) => {
    unhandled += 1;
    logger.error(
      { err: reason instanceof Error ? reason : new Error(String(reason)), unhandledRejections: unhandled },
      'unhandled promise rejection (a bug: please report it); the process keeps running',
    );
  });
  target.on('uncaughtException', (error) => {
    logger.error({ err: error }, 'uncaught exception; exiting for a clean restart');
    target.exit(1);
  });
}
