import { describe, expect, it } from 'vitest';
import { dueEscalation, type EscalationRules } from '../../src/domain/escalation.ts';
import { aLead, aPolicy } from '../support/factories.ts';

/** A Tokyo wall time; 2026-12-01 and 12-02 are ordinary working days (9:00-18:00). */
const jst = (wall: string) => new Date(`${wall}+09:00`);
const rules: EscalationRules = { ladder: [5, 15, 30], reminderEvery: 60, calendar: aPolicy().calendar };
const waiting = (since: string, escalationLevel = 0, escalatedAt: string | null = null) =>
  aLead({
    awaitingReplySince: jst(since),
    escalationLevel,
    escalatedAt: escalatedAt ? jst(escalatedAt) : null,
  });

describe('dueEscalation', () => {
  it('says nothing about a lead that waits for nobody', () => {
    expect(dueEscalation(aLead(), jst('2026-12-01T12:00'), rules)).toBeNull();
  });

  it('counts business minutes only: a message from the night is due at opening + 5', () => {
    const lead = waiting('2026-11-30T22:10');
    expect(dueEscalation(lead, jst('2026-12-01T08:59'), rules)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-01T09:04'), rules)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-01T09:05'), rules)).toEqual({
      level: 1,
      audience: 'owner',
      waitedMinutes: 5,
    });
  });

  it('after missed fires sends the next step only, with the real wait', () => {
    const lead = waiting('2026-11-30T17:20');
    expect(dueEscalation(lead, jst('2026-12-01T09:01'), rules)).toEqual({
      level: 1,
      audience: 'owner',
      waitedMinutes: 41,
    });
  });

  it('keeps the ladder’s spacing from the previous alarm', () => {
    const reminded = waiting('2026-11-30T17:20', 1, '2026-12-01T09:01');
    expect(dueEscalation(reminded, jst('2026-12-01T09:10'), rules)).toBeNull();
    expect(dueEscalation(reminded, jst('2026-12-01T09:11'), rules)).toMatchObject({
      level: 2,
      audience: 'team',
    });
    const alerted = waiting('2026-11-30T17:20', 2, '2026-12-01T09:11');
    expect(dueEscalation(alerted, jst('2026-12-01T09:25'), rules)).toBeNull();
    expect(dueEscalation(alerted, jst('2026-12-01T09:26'), rules)).toEqual({
      level: 3,
      audience: 'managers',
      waitedMinutes: 66,
    });
  });

  it('spacing is counted in business minutes, across the night', () => {
    // Reminded at 17:55; the team alert is due at 9:05 the next day, 10 business minutes later.
    const lead = waiting('2026-12-01T17:50', 1, '2026-12-01T17:55');
    expect(dueEscalation(lead, jst('2026-12-02T09:04'), rules)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-02T09:05'), rules)).toMatchObject({
      level: 2,
      waitedMinutes: 15,
    });
  });

  it('a fire a few seconds late does not push the next step a minute later', () => {
    const lead = aLead({
      awaitingReplySince: new Date('2026-12-01T00:00:00Z'),
      escalationLevel: 1,
      escalatedAt: new Date('2026-12-01T00:05:00.400Z'),
    });
    expect(dueEscalation(lead, new Date('2026-12-01T00:15:00.100Z'), rules)).toMatchObject({ level: 2 });
  });

  it('a lead escalated before alarm times were kept counts from the threshold it reached', () => {
    const lead = waiting('2026-12-01T10:00', 1);
    expect(dueEscalation(lead, jst('2026-12-01T10:14'), rules)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-01T10:15'), rules)).toMatchObject({ level: 2 });
  });

  it('after the last step reminds the owner every reminderEvery business minutes, or never with 0', () => {
    const lead = waiting('2026-12-01T10:00', 3, '2026-12-01T10:30');
    expect(dueEscalation(lead, jst('2026-12-01T11:29'), rules)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-01T11:30'), rules)).toEqual({
      level: 4,
      audience: 'reminder',
      waitedMinutes: 90,
    });
    const again = waiting('2026-12-01T10:00', 4, '2026-12-01T11:30');
    expect(dueEscalation(again, jst('2026-12-01T12:30'), rules)).toMatchObject({
      level: 5,
      audience: 'reminder',
    });
    expect(dueEscalation(lead, jst('2026-12-01T17:00'), { ...rules, reminderEvery: 0 })).toBeNull();
  });

  it('with a shorter ladder the reminders start after its last step', () => {
    const lead = waiting('2026-12-01T10:00', 1, '2026-12-01T10:10');
    const oneStep = { ...rules, ladder: [10] };
    expect(dueEscalation(lead, jst('2026-12-01T11:09'), oneStep)).toBeNull();
    expect(dueEscalation(lead, jst('2026-12-01T11:10'), oneStep)).toMatchObject({
      level: 2,
      audience: 'reminder',
    });
  });
});
