import { describe, expect, it } from 'vitest';
import type { Staff } from '../../src/domain/staff.ts';
import { canActOnLead, canClaimLead, isManager } from '../../src/domain/staff.ts';

const staff = (overrides: Partial<Staff> = {}): Staff => ({
  slackUserId: 'U_REP',
  role: 'rep',
  active: true,
  displayName: '佐藤',
  ...overrides,
});

const owner = staff({ slackUserId: 'U_OWNER' });
const otherRep = staff({ slackUserId: 'U_OTHER' });
const manager = staff({ slackUserId: 'U_MANAGER', role: 'manager' });
const inactiveOwner = staff({ slackUserId: 'U_OWNER', active: false });
const inactiveManager = staff({ slackUserId: 'U_MANAGER', role: 'manager', active: false });

describe('isManager', () => {
  it.each([
    ['an active manager', manager, true],
    ['an inactive manager', inactiveManager, false],
    ['an active rep', owner, false],
    ['an inactive rep', inactiveOwner, false],
    ['nobody (null)', null, false],
    ['nobody (undefined)', undefined, false],
  ])('says %s is a manager: %s', (_label, who, expected) => {
    expect(isManager(who)).toBe(expected);
  });
});

describe('canActOnLead', () => {
  const ownedLead = { ownerId: 'U_OWNER' };
  const teamLead = { ownerId: null };

  it.each([
    ['the owner', owner, ownedLead, true],
    ['a manager who does not own it', manager, ownedLead, true],
    ['another rep', otherRep, ownedLead, false],
    ['the owner after being deactivated', inactiveOwner, ownedLead, false],
    ['an inactive manager', inactiveManager, ownedLead, false],
    ['someone who is not staff (null)', null, ownedLead, false],
    ['someone who is not staff (undefined)', undefined, ownedLead, false],
    ['a rep, on an unassigned lead', otherRep, teamLead, false],
    ['a manager, on an unassigned lead', manager, teamLead, true],
    ['an inactive manager, on an unassigned lead', inactiveManager, teamLead, false],
  ])('lets %s act on the lead: %s', (_label, who, lead, expected) => {
    expect(canActOnLead(who, lead)).toBe(expected);
  });

  it('compares the owner by Slack user ID, not by display name', () => {
    const namesake = staff({ slackUserId: 'U_NAMESAKE', displayName: owner.displayName });
    expect(canActOnLead(namesake, ownedLead)).toBe(false);
  });
});

describe('canClaimLead', () => {
  it.each([
    ['an active rep', owner, true],
    ['an active manager', manager, true],
    ['an inactive rep', inactiveOwner, false],
    ['an inactive manager', inactiveManager, false],
    ['someone who is not staff (null)', null, false],
    ['someone who is not staff (undefined)', undefined, false],
  ])('lets %s claim an unassigned lead: %s', (_label, who, expected) => {
    expect(canClaimLead(who)).toBe(expected);
  });
});
