import { type BusinessCalendar, isWorkingDay, localDate, zonedTimeToInstant } from './business-calendar.ts';
import type { FollowUpSettings } from './follow-up/follow-up-settings.ts';
import type { FollowUpContext } from './lead-follow-up.ts';

/** The follow-up rules in force: the overridable tables plus the business calendar. */
export interface FollowUpPolicy {
  settings: FollowUpSettings;
  calendar: BusinessCalendar;
  neglectDays: number;
  /** Business minutes after which an unanswered lead message escalates: owner, team channel, managers. */
  escalationMinutes: number[];
  /** Business minutes between reminders to the owner after the last step while the message waits; 0: none. */
  escalationReminderMinutes: number;
}

export function followUpContext(policy: FollowUpPolicy, now: Date): FollowUpContext {
  const timezone = policy.calendar.timezone;
  return {
    now,
    today: localDate(now, timezone),
    dateOf: (instant) => localDate(instant, timezone),
    startOf: (ymd) => zonedTimeToInstant(ymd, '00:00', timezone),
    settings: policy.settings,
    workdays: { isWorkingDay: (ymd) => isWorkingDay(ymd, policy.calendar) },
    neglectDays: policy.neglectDays,
  };
}
