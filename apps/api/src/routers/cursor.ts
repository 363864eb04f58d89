import { createHash } from 'node:crypto';
import { z } from 'zod';
import { DomainError } from '@appointments/domain';
import type { Page } from '@appointments/db';
import { INPUT_INVALID } from '../errors.ts';

/** The `cursor` input of every list paged by keyset. */
export const cursorInput = z
  .string()
  .min(1)
  .max(200)
  .meta({
    description:
      'Where the page starts: the `X-Next-Cursor` (or `next_cursor`) of the page before, unchanged. Valid for the same list and filters only, without an offset. Unlike an offset, its cost does not grow with the depth, and rows added or removed meanwhile make no other row repeat or go missing.',
  });

/** A list's next cursor in an answer that carries it: null on the last page. */
export const nextCursorOutput = z
  .string()
  .nullable()
  .meta({ description: 'Pass it as `cursor` to read the next page; null on the last page', examples: ['eyJsIjoidXNlcnMiLCJmIjoiVDFQTm9Zd3JxZ3dEIiwiayI6WzUwXX0'] });

const stored = z.object({ l: z.string(), f: z.string(), k: z.array(z.number().int()) });

/** The filters a cursor was made for, as a short digest: a cursor fed to other filters is refused, not misread. */
function digest(filters: readonly unknown[]): string {
  return createHash('sha256').update(JSON.stringify(filters)).digest('base64url').slice(0, 12);
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION.FAILED', INPUT_INVALID, { issues: [{ path, message }] });
}

/**
 * One list's cursors: a page's last row's sort key (numbers, id last), the list's tag and a digest
 * of the filters it was read with, as base64url JSON. Opaque to clients. A cursor that does not
 * parse, or was made for another list or other filters, or comes with an offset, is refused as
 * invalid input: a cursor positions a page within what the caller may see anyway, so nothing
 * is signed.
 */
export function listCursor<Key extends readonly number[]>(list: string, keyLength: Key['length']) {
  return {
    /** The key to read after, or undefined for a first page. `offset`: the list's offset input. */
    after(cursor: string | undefined, filters: readonly unknown[], offset: { readonly name: string; readonly value: number }): Key | undefined {
      if (cursor === undefined) return undefined;
      if (offset.value !== 0) throw invalid(offset.name, `A page starts at a cursor or at an offset, not both: leave ${offset.name} out with a cursor`);
      let parsed: z.infer<typeof stored> | undefined;
      try {
        parsed = stored.safeParse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).data;
      } catch {
        parsed = undefined;
      }
      if (!parsed || parsed.k.length !== keyLength) throw invalid('cursor', 'Not a cursor: pass the X-Next-Cursor (or next_cursor) of the page before, unchanged');
      if (parsed.l !== list) throw invalid('cursor', `This cursor belongs to another list, not ${list}`);
      if (parsed.f !== digest(filters)) throw invalid('cursor', 'This cursor was made for other filters: repeat the request that returned it with only the cursor changed');
      return parsed.k as unknown as Key;
    },

    /** The cursor of the page after `page` (read with `filters`), or null when it is the last. */
    next<T>(page: Page<T>, filters: readonly unknown[], keyOf: (last: T) => Key): string | null {
      const last = page.items.at(-1);
      if (!page.more || last === undefined) return null;
      return Buffer.from(JSON.stringify({ l: list, f: digest(filters), k: keyOf(last) })).toString('base64url');
    },
  };
}
