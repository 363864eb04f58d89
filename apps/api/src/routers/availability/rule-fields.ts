import { DomainError, formatInstant, normalizeTime, parseRequestDateTime, validateRule, type AvailabilityRule } from '@appointments/domain';
import type { Availability } from '@appointments/db';
import type { availabilityOutput, RuleFields } from './availability.schema.ts';
import type { z } from 'zod';

const invalid = (message: string) => new DomainError('AVAILABILITY.INVALID', message);

/** Fields that name two kinds of entry at once are refused, not silently half-ignored. */
function conflictingTypeFields(fields: RuleFields): string | undefined {
  const range = fields.start_datetime !== undefined || fields.end_datetime !== undefined;
  if (range && (fields.day_of_week !== undefined || fields.specific_date !== undefined || fields.is_recurring === true)) {
    return 'A datetime range cannot also have day_of_week, specific_date or is_recurring: true';
  }
  if (fields.day_of_week !== undefined && fields.specific_date !== undefined) return 'Give day_of_week or specific_date, not both';
  if (fields.is_recurring === false && fields.day_of_week !== undefined) return 'day_of_week goes with is_recurring: true';
  if (fields.is_recurring === true && fields.specific_date !== undefined) return 'specific_date goes with is_recurring: false';
  return undefined;
}

/** Reads the seed-style fields as one rule, datetimes in the staff member's zone, then checks it. */
export function ruleFromFields(fields: RuleFields, zone: string): AvailabilityRule {
  const conflict = conflictingTypeFields(fields);
  if (conflict) throw invalid(conflict);
  const kind = fields.kind ?? 'available';
  let rule: AvailabilityRule;
  if (fields.start_datetime !== undefined || fields.end_datetime !== undefined) {
    if (kind !== 'unavailable') throw invalid('Only unavailable entries can span a datetime range');
    if (fields.start_datetime === undefined || fields.end_datetime === undefined) throw invalid('start_datetime and end_datetime go together');
    rule = { kind, type: 'range', start: parseRequestDateTime(fields.start_datetime, zone), end: parseRequestDateTime(fields.end_datetime, zone) };
  } else if (fields.is_recurring ?? fields.day_of_week !== undefined) {
    if (fields.day_of_week === undefined) throw invalid('A recurring entry needs day_of_week');
    if (!fields.start_time || !fields.end_time) throw invalid('A recurring entry needs start_time and end_time');
    rule = { kind, type: 'weekly', dayOfWeek: fields.day_of_week, startTime: normalizeTime(fields.start_time), endTime: normalizeTime(fields.end_time) };
  } else {
    if (fields.specific_date === undefined) throw invalid('Give day_of_week (recurring), specific_date, or start_datetime/end_datetime');
    const wholeDay = kind === 'unavailable' && !fields.start_time && !fields.end_time;
    if (!wholeDay && (!fields.start_time || !fields.end_time)) throw invalid('A dated entry needs start_time and end_time');
    rule = {
      kind,
      type: 'date',
      date: fields.specific_date,
      startTime: wholeDay ? '00:00:00' : normalizeTime(fields.start_time!),
      endTime: wholeDay ? '24:00:00' : normalizeTime(fields.end_time!),
    };
  }
  validateRule(rule);
  return rule;
}

/** The stored rule as fields again, so a PATCH can overlay only what it names. */
export function fieldsFromRule(rule: AvailabilityRule): RuleFields {
  switch (rule.type) {
    case 'weekly':
      return { kind: rule.kind, is_recurring: true, day_of_week: rule.dayOfWeek, start_time: rule.startTime, end_time: rule.endTime };
    case 'date':
      return { kind: rule.kind, is_recurring: false, specific_date: rule.date, start_time: rule.startTime, end_time: rule.endTime };
    case 'range':
      return { kind: rule.kind, is_recurring: false, start_datetime: formatInstant(rule.start), end_datetime: formatInstant(rule.end) };
  }
}

export function toAvailabilityOutput(a: Availability): z.output<typeof availabilityOutput> {
  const fields = fieldsFromRule(a);
  return {
    id: a.id,
    staff_id: a.staffId,
    kind: a.kind,
    is_recurring: a.type === 'weekly',
    day_of_week: fields.day_of_week ?? null,
    specific_date: fields.specific_date ?? null,
    start_time: fields.start_time ?? null,
    end_time: fields.end_time ?? null,
    start_datetime: fields.start_datetime ?? null,
    end_datetime: fields.end_datetime ?? null,
  };
}
