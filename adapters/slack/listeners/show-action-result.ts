import type { webApi } from '@slack/bolt';
import { type ActionOrigin, isDigest, withActionResult } from '../action-result.ts';
import type { Block } from '../block-kit.ts';
import type { ListenerDeps } from './listener-deps.ts';

/**
 * Shows the outcome of a press where the rep pressed. A digest is the rep's own message, so its
 * lead line is rewritten with what happened (✅ 電話を記録しました（2回目）) or why nothing did.
 * A lead card may be seen by others (the team channel), so a refusal there goes to the presser
 * alone (`fallback`, an ephemeral answer), and a change needs nothing: the outbox redraws the card
 * with the new facts. An ephemeral digest (/tsuikyaku today) cannot be read back: `fallback`.
 * Never throws: the change itself is already committed.
 */
export async function showActionResult(
  deps: Pick<ListenerDeps, 'logger'>,
  client: webApi.WebClient,
  input: {
    origin: ActionOrigin | null;
    leadId: string;
    text: string;
    refusal: boolean;
    /** Tells the presser alone (an ephemeral answer). */
    fallback: () => Promise<unknown>;
  },
): Promise<void> {
  const { origin, leadId, text, refusal, fallback } = input;
  try {
    if (!origin || origin.ephemeral) {
      if (refusal || !origin) await fallback();
      return;
    }
    const history = await client.conversations.history({
      channel: origin.channelId,
      latest: origin.ts,
      inclusive: true,
      limit: 1,
    });
    const message = history.messages?.find((m) => m.ts === origin.ts);
    const blocks = (message?.blocks ?? []) as Block[];
    if (!message || !isDigest(blocks)) {
      if (refusal) await fallback();
      return;
    }
    await client.chat.update({
      channel: origin.channelId,
      ts: origin.ts,
      text: message.text ?? '',
      blocks: withActionResult(blocks, leadId, text) as never,
    });
  } catch (error) {
    deps.logger.warn({ leadId, error: String(error) }, 'could not show the result where it was pressed');
    await fallback().catch(() => {});
  }
}
