import { isErased, type Lead, leadOrderKey } from '../../domain/lead.ts';
import { canReceiveSteps, namesLead, namesOwner } from '../../domain/sequences/audience.ts';
import type { LineMessage } from '../../domain/sequences/line-message-schema.ts';
import { renderMessages } from '../../domain/sequences/message-variables.ts';
import { DeliveryError } from '../../errors.ts';
import type { OutboxEntry, OutboxItem, StepSend } from '../../ports.ts';
import { leadAnswerMessages } from '../sequences/lead-answers.ts';
import { sequenceById } from '../sequences/sequence-settings.ts';
import {
  alertTeam,
  alertTeamAboutLead,
  type DeliveryDeps,
  nothingToTell,
  type OutboxHandlers,
} from './outbox-handler.ts';

/** LINE documents a reply token as usable for about a minute; stay clear of the edge. */
const REPLY_TOKEN_TTL_MS = 50_000;

/** Why a lead gets no step now (checked again right before each send). */
function unsendableReason(lead: Lead | null): string | null {
  if (!lead || isErased(lead)) return 'the lead was erased';
  if (lead.status === 'blocked') return 'the lead blocked the account';
  if (lead.optedOutAt) return 'the lead opted out of step messages';
  return null;
}

/**
 * The thread's collapsed line for a step that went out, naming the lead's thread when it is known
 * so that posting it reads nothing more (a run of 100,000 steps posts 100,000 of these), and the
 * card's next step redrawn.
 *
 * Only jobs in the lead's own order may open its thread (post the card): two openers running at
 * once would each post a card, and the rep would answer in a thread that leads nowhere. So a line
 * for a lead without a thread yet (a new friend's greeting) waits in the lead's order; a line for
 * a thread that exists goes on its own order, in the slowest lane (after every relay, reply and
 * step send that is due), and never holds up the lead's relay.
 */
function stepLine(
  deps: DeliveryDeps,
  send: StepSend,
  thread: { channelId: string; threadTs: string } | null,
): OutboxEntry[] {
  const sequence = sequenceById(deps.sequences.settings, send.sequenceId);
  if (!sequence) return [];
  const { orderKey, lane } = thread
    ? { orderKey: `step-line:${send.leadId}`, lane: 'step_lines' as const }
    : { orderKey: leadOrderKey(send.leadId), lane: 'conversation' as const };
  return [
    {
      job: {
        kind: 'slack.notice',
        leadId: send.leadId,
        notice: {
          key: 'step_sent',
          sequenceName: sequence.name,
          step: send.stepIndex + 1,
          steps: sequence.steps.length,
        },
        ...(thread ?? {}),
      },
      orderKey,
      lane,
    },
    { job: { kind: 'slack.card', leadId: send.leadId }, orderKey, lane },
  ];
}

/**
 * Sends by the reply token when it is fresh and this is the first attempt (free of quota), else by
 * push with the row's retry key. A refused token (400) falls back to the push at once.
 */
async function replyOrPush(
  deps: DeliveryDeps,
  item: OutboxItem,
  input: { to: string; messages: LineMessage[]; replyToken: string | null | undefined; receivedAt?: string },
): Promise<void> {
  const fresh =
    input.receivedAt !== undefined &&
    deps.clock.now().getTime() - new Date(input.receivedAt).getTime() < REPLY_TOKEN_TTL_MS;
  if (input.replyToken && fresh && item.attempts === 1) {
    try {
      await deps.line.replyMessages({ replyToken: input.replyToken, messages: input.messages });
      return;
    } catch (error) {
      if (!(error instanceof DeliveryError) || error.retry === 'later') throw error;
    }
  }
  if (!item.retryKey) throw new DeliveryError('never', 'the LINE message has no retry key');
  await deps.line.pushMessages({ to: input.to, messages: input.messages, retryKey: item.retryKey });
}

/** Step sequences' deliveries: steps by push or multicast, answers to the lead, quota notices. */
export const sequenceHandlers: OutboxHandlers<
  'line.step' | 'line.step_multicast' | 'line.lead_answer' | 'slack.quota'
> = {
  'line.step': {
    async deliver(deps, item, job) {
      const { store } = deps;
      // The step and its lead in one read: this runs once per push, 2,000 times a second at LINE's limit.
      const [row] = await store.stepSends.getManyWithLeads([job.stepSendId]);
      const send = row?.send;
      const lead = row?.lead ?? null;
      const thread = row?.thread ?? null;
      // Sent by an attempt that died before its row was settled: only the thread line is left.
      if (send?.status === 'sent') return stepLine(deps, send, thread);
      if (send?.status !== 'queued') return [];
      const unsendable = unsendableReason(lead);
      const step = sequenceById(deps.sequences.settings, send.sequenceId)?.steps[send.stepIndex];
      if (unsendable || !lead || !step) {
        // Nothing goes out after an unfollow, an opt-out or an erasure commits.
        await store.stepSends.markFailed(
          [send.id],
          unsendable ?? 'the step is no longer in the sequences file',
        );
        return [];
      }
      const owner = lead.ownerId && namesOwner(step) ? await store.staff.get(lead.ownerId) : null;
      // A new friend's greeting can go before the profile job has named them: ask LINE here.
      let name = lead.displayName;
      if (name === null && namesLead(step)) {
        const profile = await deps.line.getProfile(lead.lineUserId);
        if (profile) {
          name = profile.displayName;
          await store.leads.setProfile(lead.id, profile, deps.clock.now());
        }
      }
      const messages = renderMessages(step.messages, {
        name,
        owner: owner?.displayName ?? null,
        company: deps.sequences.settings.companyName,
      });
      try {
        await replyOrPush(deps, item, {
          to: lead.lineUserId,
          messages,
          replyToken: job.replyToken,
          ...(job.receivedAt ? { receivedAt: job.receivedAt } : {}),
        });
      } catch (error) {
        if (error instanceof DeliveryError && error.monthlyLimit) {
          return store.transaction((tx) => deps.sequences.quota.hold(tx, [send.id]));
        }
        throw error;
      }
      await store.stepSends.markSent([send.id], deps.clock.now());
      return stepLine(deps, send, thread);
    },
    async onGivenUp(tx, _item, job, error) {
      await tx.stepSends.markFailed([job.stepSendId], error);
      return alertTeam(job.kind, job.leadId, error);
    },
  },

  'line.step_multicast': {
    async deliver(deps, item, job) {
      const { store } = deps;
      const all = await store.stepSends.getManyWithLeads(job.stepSendIds);
      const rows = all.filter((row) => row.send.status === 'queued');
      // Sent by an attempt that died before its row was settled: only the thread lines are left.
      const sentBefore = all
        .filter((row) => row.send.status === 'sent')
        .flatMap((row) => stepLine(deps, row.send, row.thread));
      const step = sequenceById(deps.sequences.settings, job.sequenceId)?.steps[job.stepIndex];
      const receivers = rows.filter((row) => step && canReceiveSteps(row.lead));
      const dropped = rows.filter((row) => !receivers.includes(row));
      if (dropped.length > 0) {
        await store.stepSends.markFailed(
          dropped.map((row) => row.send.id),
          step
            ? 'the lead can no longer receive step messages'
            : 'the step is no longer in the sequences file',
        );
      }
      if (!step || receivers.length === 0) return sentBefore;
      if (!item.retryKey) throw new DeliveryError('never', 'the multicast has no retry key');
      // The same for every recipient: only {company} may appear (a step naming the lead goes by push).
      const messages = renderMessages(step.messages, {
        name: null,
        owner: null,
        company: deps.sequences.settings.companyName,
      });
      try {
        await deps.line.multicast({
          to: receivers.map((row) => row.lead.lineUserId),
          messages,
          retryKey: item.retryKey,
        });
      } catch (error) {
        if (error instanceof DeliveryError && error.monthlyLimit) {
          return store.transaction((tx) =>
            deps.sequences.quota.hold(
              tx,
              receivers.map((row) => row.send.id),
            ),
          );
        }
        throw error;
      }
      await store.stepSends.markSent(
        receivers.map((row) => row.send.id),
        deps.clock.now(),
      );
      return [...sentBefore, ...receivers.flatMap((row) => stepLine(deps, row.send, row.thread))];
    },
    async onGivenUp(tx, _item, job, error) {
      await tx.stepSends.markFailed(job.stepSendIds, error);
      return alertTeam(job.kind, null, error);
    },
  },

  'line.lead_answer': {
    async deliver(deps, item, job) {
      const lead = await deps.store.leads.get(job.leadId);
      // Opt-out confirmations still go to an opted-out lead; nothing goes to a blocked or erased one.
      if (!lead || isErased(lead) || lead.status === 'blocked') return [];
      const { settings, leadWords } = deps.sequences;
      const messages = leadAnswerMessages(leadWords, job.message, {
        interests: settings.file.interests,
        optInKeyword: settings.keywords.optIn[0] ?? '',
      });
      await replyOrPush(deps, item, {
        to: lead.lineUserId,
        messages,
        replyToken: job.replyToken,
        receivedAt: job.receivedAt,
      });
      return [];
    },
    onGivenUp: alertTeamAboutLead,
  },

  'slack.quota': {
    async deliver(deps, _item, job) {
      const staff = await deps.store.staff.get(job.to);
      if (!staff?.active) return [];
      await deps.slack.postQuotaNotice(job.to, job.notice);
      return [];
    },
    onGivenUp: nothingToTell,
  },
};
