import { addLocalDays } from './step-timing.ts';

/**
 * A paused enrolment resumes by itself `resumeDays` (SEQUENCE_RESUME_DAYS) calendar days after the
 * lead's last message, at the same local time; every new lead message pushes it further.
 */
export function autoResumeMoment(lastLeadMessageAt: Date, resumeDays: number, timezone: string): Date {
  if (!Number.isInteger(resumeDays) || resumeDays < 1) {
    throw new RangeError(`resumeDays must be a whole number >= 1, got ${resumeDays}`);
  }
  return addLocalDays(lastLeadMessageAt, resumeDays, timezone);
}

/**
 * A step that came due while its enrolment was paused is not lost: it is due again at the resume
 * (or at its own due moment when that is later), and then waits for quiet hours, step days and the
 * cap like any step (nextSendMoment).
 */
export function dueAfterResume(originalDue: Date, resumedAt: Date): Date {
  return new Date(Math.max(originalDue.getTime(), resumedAt.getTime()));
}
