import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../src/domain/follow-up/default-follow-up-settings.ts';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { isJapaneseHoliday } from '../../src/domain/japanese-holidays.ts';
import type { Lead } from '../../src/domain/lead.ts';
import type { Staff } from '../../src/domain/staff.ts';

let sequence = 0;
/** A short suffix unique within the test process, so factory rows never collide. */
export const uniqueSuffix = () => `${(++sequence).toString(36).padStart(4, '0')}${process.pid.toString(36)}`;

/** A lead as the domain sees it: a fresh open lead with nothing recorded, then `overrides`. */
export function aLead(overrides: Partial<Lead> = {}): Lead {
  const suffix = uniqueSuffix();
  return {
    id: crypto.randomUUID(),
    lineUserId: `U${suffix.padEnd(32, '0')}`,
    displayName: null,
    pictureUrl: null,
    kind: 'lead',
    status: 'active',
    source: 'message',
    ownerId: null,
    followedAt: null,
    blockedAt: null,
    lastInboundAt: null,
    purchaseTiming: null,
    announcedSegment: null,
    amountYen: null,
    stage: 'open',
    closedAt: null,
    closeReason: null,
    snoozedUntil: null,
    handoverDate: null,
    lastTouchAt: null,
    lastAttemptAt: null,
    unansweredAttempts: 0,
    awaitingReplySince: null,
    escalationLevel: 0,
    escalatedAt: null,
    autoAckedAt: null,
    erasedAt: null,
    optedOutAt: null,
    timingAskedAt: null,
    createdAt: new Date('2026-11-02T00:00:00Z'),
    ...overrides,
  };
}

/** An active rep, then `overrides` (role: 'manager' for a manager). */
export function aStaff(overrides: Partial<Staff> = {}): Staff {
  return {
    slackUserId: `U0REP${uniqueSuffix().toUpperCase()}`,
    role: 'rep',
    active: true,
    displayName: null,
    ...overrides,
  };
}

/** The default follow-up rules on Tokyo business hours (9:00-18:00, Monday to Friday, holidays off). */
export function aPolicy(overrides: Partial<FollowUpPolicy> = {}): FollowUpPolicy {
  return {
    settings: DEFAULT_FOLLOW_UP_SETTINGS,
    calendar: {
      timezone: 'Asia/Tokyo',
      openMinute: 9 * 60,
      closeMinute: 18 * 60,
      days: [1, 2, 3, 4, 5],
      holidays: isJapaneseHoliday,
    },
    neglectDays: 30,
    escalationMinutes: [5, 15, 30],
    escalationReminderMinutes: 60,
    ...overrides,
  };
}
