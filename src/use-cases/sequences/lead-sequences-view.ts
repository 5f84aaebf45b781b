import { localDate } from '../../domain/business-calendar.ts';
import type { Lead } from '../../domain/lead.ts';
import { canReceiveSteps, fitsAudience } from '../../domain/sequences/audience.ts';
import { nextSendMoment } from '../../domain/sequences/next-send-moment.ts';
import { CAP_WINDOW_MS } from '../../domain/sequences/weekly-cap.ts';
import type { LeadSequencesView, LiveEnrolmentView, Repos } from '../../ports.ts';
import { type SequenceSettings, sequenceById } from './sequence-settings.ts';

/**
 * What a lead card shows of the lead's step sequences: the live enrolments with the moment their
 * next step may go out, the manual sequences the lead may join, and its tags. Read when the card
 * is drawn, so a redraw after any change tells the truth.
 */
export async function leadSequencesView(
  repos: Pick<Repos, 'enrolments' | 'stepSends' | 'tags'>,
  settings: SequenceSettings,
  lead: Lead,
  now: Date,
): Promise<LeadSequencesView> {
  if (lead.erasedAt) return { live: [], manual: [], tags: [] };
  const enrolments = await repos.enrolments.listForLead(lead.id);
  const tags = await repos.tags.listForLead(lead.id);
  const liveEnrolments = enrolments.filter((e) => e.state === 'active' || e.state === 'paused');
  // The weekly cap counts the lead's recent steps; most cards have no active sequence to time.
  const recent = liveEnrolments.some((e) => e.state === 'active')
    ? await repos.stepSends.recentForLeads([lead.id], new Date(now.getTime() - CAP_WINDOW_MS))
    : new Map<string, Date[]>();
  const live = liveEnrolments.map((enrolment): LiveEnrolmentView => {
    const sequence = sequenceById(settings, enrolment.sequenceId);
    const due = enrolment.sendAt ?? enrolment.dueAt;
    const nextSendAt =
      enrolment.state === 'active' && due
        ? nextSendMoment({ due, now, recentSends: recent.get(lead.id) ?? [], rules: settings.rules })
        : null;
    return {
      enrolment,
      name: sequence?.name ?? enrolment.sequenceId,
      steps: sequence ? sequence.steps.length : null,
      nextSendAt,
    };
  });
  const today = localDate(now, settings.rules.timezone);
  const manual = canReceiveSteps(lead)
    ? settings.file.sequences
        .filter(
          (s) =>
            s.trigger === 'manual' &&
            !liveEnrolments.some((e) => e.sequenceId === s.id) &&
            fitsAudience(s, lead, tags, today),
        )
        .map((s) => ({ id: s.id, name: s.name }))
    : [];
  return { live, manual, tags };
}
