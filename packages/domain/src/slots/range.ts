import { DomainError } from '../errors.ts';
import { dayNumber, isValidDate } from '../time/calendar.ts';

export const MAX_SLOT_RANGE_DAYS = 62;

/** The local dates a slots query asks for: one `date`, or `from`..`to` inclusive, at most MAX_SLOT_RANGE_DAYS. */
export function slotDateRange(query: { readonly date?: string | undefined; readonly from?: string | undefined; readonly to?: string | undefined }): [string, string] {
  const invalid = (message: string) => new DomainError('SLOTS.INVALID_RANGE', message);
  if (query.date !== undefined && (query.from !== undefined || query.to !== undefined)) throw invalid('Give date or from/to, not both');
  const [from, to] = query.date !== undefined ? [query.date, query.date] : [query.from, query.to];
  if (from === undefined || to === undefined) throw invalid('Give date, or from and to');
  if (!isValidDate(from) || !isValidDate(to)) throw invalid('Dates must be real calendar dates (YYYY-MM-DD)');
  if (to < from) throw invalid('to must not be before from');
  if (dayNumber(to) - dayNumber(from) >= MAX_SLOT_RANGE_DAYS) throw invalid(`A range covers at most ${MAX_SLOT_RANGE_DAYS} days`);
  return [from, to];
}
