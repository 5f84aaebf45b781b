import type { Clock } from '../../src/ports.ts';

/**
 * The sandbox's clock: real time shifted by an offset that only grows, so the product sees time
 * pass normally between jumps, and a jump ("next morning", "a week later") moves it forward at once.
 */
export class SandboxClock implements Clock {
  private offsetMs: number;

  constructor(start: Date) {
    this.offsetMs = start.getTime() - Date.now();
  }

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves the clock to `target`; a target in the past is refused (time never runs backwards). */
  jumpTo(target: Date): void {
    const delta = target.getTime() - this.now().getTime();
    if (delta < 0) throw new RangeError('the sandbox clock only moves forward');
    this.offsetMs += delta;
  }

  /** The sandbox time of a real instant (for calls the fakes recorded with Date.now()). */
  fromReal(realMs: number): Date {
    return new Date(realMs + this.offsetMs);
  }
}
