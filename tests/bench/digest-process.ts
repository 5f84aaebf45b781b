// Child process for the digest benchmark: builds and renders the morning digest of every rep the
// way the outbox delivery does (one query per rep, compute, Block Kit render; no posting), and
// reports the time and the process's peak RSS to the parent over IPC.
import { digestMessage } from '../../adapters/slack/follow-up-blocks.ts';
import { openDatabase } from '../../db/client.ts';
import { createStore } from '../../db/store.ts';
import { DEFAULT_FOLLOW_UP_SETTINGS } from '../../src/domain/follow-up/default-follow-up-settings.ts';
import type { FollowUpPolicy } from '../../src/domain/follow-up-policy.ts';
import { isJapaneseHoliday } from '../../src/domain/japanese-holidays.ts';
import { catalog } from '../../src/messages.ts';
import { buildRepDigest } from '../../src/use-cases/build-rep-digest.ts';

const url = process.env.DATABASE_URL ?? '';
const rounds = Number(process.env.BENCH_DIGEST_ROUNDS ?? 3);
const database = await openDatabase({ url, poolMax: 4 });
const store = createStore(database.db);
const policy: FollowUpPolicy = {
  settings: DEFAULT_FOLLOW_UP_SETTINGS,
  calendar: {
    timezone: 'Asia/Tokyo',
    openMinute: 540,
    closeMinute: 1080,
    days: [1, 2, 3, 4, 5],
    holidays: isJapaneseHoliday,
  },
  neglectDays: 30,
  escalationMinutes: [5, 15, 30],
  escalationReminderMinutes: 60,
};
const blocks = {
  t: catalog('ja'),
  timezone: 'Asia/Tokyo',
  locale: 'ja' as const,
  now: () => new Date(),
  command: '/tsuikyaku',
};
const reps = (await store.staff.listActive()).filter((s) => s.role === 'rep').map((s) => s.slackUserId);

const times: number[] = [];
let listed = 0;
let rendered = 0;
for (let round = 0; round < rounds; round++) {
  const now = new Date();
  const started = performance.now();
  listed = 0;
  rendered = 0;
  for (const rep of reps) {
    const { digest, today } = await buildRepDigest({ store, policy }, rep, now);
    const message = digestMessage(digest, 0, today, now, blocks);
    listed += Object.values(digest).reduce((sum, items) => sum + items.length, 0);
    rendered += message.blocks.length;
  }
  times.push(performance.now() - started);
}
await database.close();
process.send?.({
  times,
  reps: reps.length,
  listed,
  rendered,
  maxRssKb: process.resourceUsage().maxRSS,
  heapUsedMb: process.memoryUsage().heapUsed / 1024 / 1024,
});
