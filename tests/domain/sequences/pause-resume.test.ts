import { describe, expect, it } from 'vitest';
import { nextSendMoment } from '../../../src/domain/sequences/next-send-moment.ts';
import { autoResumeMoment, dueAfterResume } from '../../../src/domain/sequences/pause-resume.ts';
import { parseQuietHours } from '../../../src/domain/sequences/quiet-hours.ts';

const jst = (wall: string) => new Date(`${wall}+09:00`);
const rules = {
  quiet: parseQuietHours('21:00-09:00'),
  stepDays: [1, 2, 3, 4, 5, 6, 7],
  cap: 2,
  timezone: 'Asia/Tokyo',
};

describe('pause and resume', () => {
  it('resumes by itself SEQUENCE_RESUME_DAYS days after the last lead message', () => {
    expect(autoResumeMoment(jst('2026-12-20T19:45'), 14, 'Asia/Tokyo')).toEqual(jst('2027-01-03T19:45'));
  });

  it('keeps the local time of the last message across a DST change', () => {
    expect(autoResumeMoment(new Date('2026-10-25T08:00:00-04:00'), 14, 'America/New_York')).toEqual(
      new Date('2026-11-08T08:00:00-05:00'),
    );
  });

  it('refuses a resume after fewer than one day', () => {
    expect(() => autoResumeMoment(jst('2026-12-20T19:45'), 0, 'Asia/Tokyo')).toThrow(RangeError);
  });

  it('sends a step that came due during the pause at the resume, not before', () => {
    expect(dueAfterResume(jst('2026-06-03T10:00'), jst('2026-06-10T14:00'))).toEqual(jst('2026-06-10T14:00'));
    expect(dueAfterResume(jst('2026-06-12T10:00'), jst('2026-06-10T14:00'))).toEqual(jst('2026-06-12T10:00'));
  });

  it('waits for the morning when the pause ends in quiet hours', () => {
    // Paused at 10:00, the step came due at 15:00, resumed from Slack at 22:30.
    const due = dueAfterResume(jst('2026-06-10T15:00'), jst('2026-06-10T22:30'));
    expect(nextSendMoment({ due, now: jst('2026-06-10T22:30'), recentSends: [], rules })).toEqual(
      jst('2026-06-11T09:00'),
    );
  });

  it('still keeps to the cap after an auto-resume', () => {
    const resumedAt = autoResumeMoment(jst('2026-05-27T23:10'), 14, 'Asia/Tokyo');
    const due = dueAfterResume(jst('2026-06-01T10:00'), resumedAt);
    const recentSends = [jst('2026-06-05T09:00'), jst('2026-06-08T12:00')];
    expect(nextSendMoment({ due, now: resumedAt, recentSends, rules })).toEqual(jst('2026-06-12T09:00'));
  });
});
