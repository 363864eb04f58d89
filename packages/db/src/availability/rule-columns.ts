import type { AvailabilityKind, AvailabilityRule } from '@appointments/domain';

/** A rule's stored columns, instants as epoch milliseconds. */
export interface RuleColumns {
  readonly kind: AvailabilityKind;
  readonly type: AvailabilityRule['type'];
  readonly dayOfWeek: number | null;
  readonly specificDate: string | null;
  readonly startTime: string | null;
  readonly endTime: string | null;
  readonly startAt: number | null;
  readonly endAt: number | null;
}

/** The rule a row holds, however it was read. The columns a type needs are written together (availability.repository.ts); the check constraint keeps them so. */
export function ruleFromColumns(row: RuleColumns): AvailabilityRule {
  switch (row.type) {
    case 'weekly':
      return { kind: row.kind, type: 'weekly', dayOfWeek: row.dayOfWeek!, startTime: row.startTime!, endTime: row.endTime! };
    case 'date':
      return { kind: row.kind, type: 'date', date: row.specificDate!, startTime: row.startTime!, endTime: row.endTime! };
    case 'range':
      return { kind: 'unavailable', type: 'range', start: row.startAt!, end: row.endAt! };
  }
}
