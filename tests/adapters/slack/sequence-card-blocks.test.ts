import { describe, expect, it } from 'vitest';
import { checkMessageContent } from '../../../adapters/slack/fake/slack-payload-rules.ts';
import { sequenceCardBlocks } from '../../../adapters/slack/sequence-card-blocks.ts';
import { catalog } from '../../../src/messages.ts';
import type { Enrolment, LeadSequencesView } from '../../../src/ports.ts';
import { aLead } from '../../support/factories.ts';

// What the lead card says of step sequences in the states the card e2e test does not reach.
const ctx = {
  t: catalog('ja'),
  timezone: 'Asia/Tokyo',
  locale: 'ja' as const,
  command: '/tsuikyaku',
  now: () => new Date('2026-12-02T01:00:00Z'),
};

function anEnrolment(overrides: Partial<Enrolment> = {}): Enrolment {
  return {
    id: crypto.randomUUID(),
    leadId: crypto.randomUUID(),
    sequenceId: 'nurture-3m',
    trigger: 'segment',
    state: 'active',
    stopReason: null,
    nextStep: 1,
    dueAt: new Date('2026-12-03T01:00:00Z'),
    sendAt: new Date('2026-12-03T01:00:00Z'),
    pausedAt: null,
    resumeAt: null,
    enrolledBy: 'system',
    enrolledAt: new Date('2026-11-20T01:00:00Z'),
    endedAt: null,
    ...overrides,
  };
}

const view = (overrides: Partial<LeadSequencesView> = {}): LeadSequencesView => ({
  live: [],
  manual: [{ id: 'event-invite', name: '見学会のご案内' }],
  tags: [],
  ...overrides,
});

const textOf = (blocks: unknown[]) => JSON.stringify(blocks);
const actionIds = (blocks: unknown[]) =>
  (blocks as { elements?: { action_id?: string }[] }[]).flatMap((b) =>
    (b.elements ?? []).map((e) => e.action_id),
  );

describe('sequenceCardBlocks', () => {
  it('says the lead opted out, and offers no sequence to start', () => {
    const lead = aLead({ optedOutAt: new Date('2026-12-01T01:00:00Z') });
    const blocks = sequenceCardBlocks(lead, view({ manual: [] }), ctx, true);
    expect(textOf(blocks)).toContain('配信停止中（お客様が配信停止を希望しました）');
    expect(actionIds(blocks)).toEqual(['lead_tag_add']);
  });

  it('says when a sequence paused by the lead’s reply resumes by itself, with 再開 and 停止', () => {
    const enrolment = anEnrolment({
      state: 'paused',
      sendAt: null,
      pausedAt: new Date('2026-12-01T01:00:00Z'),
      resumeAt: new Date('2026-12-15T01:00:00Z'),
    });
    const blocks = sequenceCardBlocks(
      aLead(),
      view({ live: [{ enrolment, name: '3ヶ月以内のお客様へ', steps: 5, nextSendAt: null }] }),
      ctx,
      true,
    );
    expect(textOf(blocks)).toContain(
      '3ヶ月以内のお客様へ（一時停止中）\\nお客様から返信がなければ12月15日(火) 10:00に自動で再開します。',
    );
    expect(actionIds(blocks)).toEqual(['sequence_resume', 'sequence_stop', 'sequence_enrol', 'lead_tag_add']);
    expect(checkMessageContent({ text: 'card', blocks })).toBeUndefined();
  });

  it('shows the next step with its moment, and a sequence gone from the file as such', () => {
    const active = anEnrolment();
    const gone = anEnrolment({ sequenceId: 'old-one' });
    const blocks = sequenceCardBlocks(
      aLead(),
      view({
        live: [
          { enrolment: active, name: '3ヶ月以内のお客様へ', steps: 5, nextSendAt: active.sendAt },
          { enrolment: gone, name: 'old-one', steps: null, nextSendAt: gone.sendAt },
        ],
        tags: ['資金計画', '<b>&'],
      }),
      ctx,
      true,
    );
    const text = textOf(blocks);
    expect(text).toContain('3ヶ月以内のお客様へ（配信中）\\n次のステップ2/5: 12月3日(木) 10:00');
    expect(text).toContain('old-one（配信中）\\nステップ配信ファイルにないため、次の配信処理で停止します。');
    // A tag is what a rep typed: escaped in the card.
    expect(text).toContain('*タグ*\\n資金計画、&lt;b&gt;&amp;');
    expect(checkMessageContent({ text: 'card', blocks })).toBeUndefined();
  });

  it('has no buttons on a card without them, and nothing at all when there is nothing to say', () => {
    const enrolment = anEnrolment();
    const withLive = sequenceCardBlocks(
      aLead(),
      view({ live: [{ enrolment, name: '3ヶ月以内のお客様へ', steps: 5, nextSendAt: enrolment.sendAt }] }),
      ctx,
      false,
    );
    expect(textOf(withLive)).toContain('3ヶ月以内のお客様へ（配信中）');
    expect(actionIds(withLive)).toEqual([]);
    expect(sequenceCardBlocks(aLead(), view(), ctx, false)).toEqual([]);
  });
});
