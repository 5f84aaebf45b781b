import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installProcessGuard, unhandledRejectionCount } from '../src/process-guard.ts';

/** A stand-in for `process`: the guard only listens and, for a thrown exception, exits. */
function fakeProcess() {
  const emitter = new EventEmitter();
  const exits: number[] = [];
  return Object.assign(emitter, { exit: (code: number) => void exits.push(code), exits });
}

function recordingLogger() {
  const lines: { obj: Record<string, unknown>; msg: string | undefined }[] = [];
  const log = (obj: object, msg?: string) => void lines.push({ obj: obj as Record<string, unknown>, msg });
  return { logger: { info: log, warn: log, error: log }, lines };
}

describe('installProcessGuard', () => {
  it('logs and counts an unhandled rejection, and keeps the process running', () => {
    const target = fakeProcess();
    const { logger, lines } = recordingLogger();
    installProcessGuard(logger, target as unknown as NodeJS.Process);
    const before = unhandledRejectionCount();
    target.emit('unhandledRejection', new Error('nobody caught me'), Promise.resolve());
    target.emit('unhandledRejection', 'a bare string', Promise.resolve());
    expect(unhandledRejectionCount()).toBe(before + 2);
    expect(target.exits).toEqual([]);
    expect(lines.map((l) => (l.obj.err as Error).message)).toEqual(['nobody caught me', 'a bare string']);
    expect(lines[1]?.obj.unhandledRejections).toBe(before + 2);
  });

  it('exits with 1 on an uncaught exception, for the supervisor to restart it cleanly', () => {
    const target = fakeProcess();
    const { logger, lines } = recordingLogger();
    installProcessGuard(logger, target as unknown as NodeJS.Process);
    target.emit('uncaughtException', new Error('state may be broken'));
    expect(target.exits).toEqual([1]);
    expect(lines[0]?.msg).toContain('exiting');
  });
});
