import type { Clock } from '../../src/ports.ts';

/** A clock the test moves by hand: scripted days, business hours and escalations without waiting. */
export class ManualClock implements Clock {
  private current: number;

  constructor(iso: string) {
    this.current = Date.parse(iso);
  }

  now(): Date {
    return new Date(this.current);
  }

  set(iso: string): void {
    this.current = Date.parse(iso);
  }

  advanceMinutes(minutes: number): void {
    this.current += minutes * 60_000;
  }
}

/** '2026-11-30 09:05' in Tokyo as an ISO instant. */
export const tokyo = (local: string) => new Date(`${local.replace(' ', 'T')}:00+09:00`).toISOString();
