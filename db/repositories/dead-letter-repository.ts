import type { Repos } from '../../src/ports.ts';
import { deadLetters } from '../schema.ts';
import type { Executor } from './executor.ts';

export function deadLetterRepository(db: Executor): Repos['deadLetters'] {
  return {
    async add(letter) {
      const rows = await db
        .insert(deadLetters)
        .values({
          source: letter.source,
          dedupeKey: letter.key,
          reason: letter.reason,
          raw: letter.raw,
          receivedAt: letter.at,
        })
        .onConflictDoNothing({ target: [deadLetters.source, deadLetters.dedupeKey] })
        .returning({ id: deadLetters.id });
      return rows.length > 0;
    },
  };
}
