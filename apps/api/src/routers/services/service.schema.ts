import { z } from 'zod';
import {
  capacitySchema,
  currencySchema,
  MAX_SERVICE_STAFF,
  priceCentsSchema,
  reminderLeadMinutesSchema,
  serviceBufferSchema,
  serviceDescriptionSchema,
  serviceDurationSchema,
  serviceLocationSchema,
  serviceNameSchema,
  type Service,
} from '@appointments/domain';
import { CURSOR_LIST_DEFAULTS, cursorListInputShape, cursorPageOutput, idOutput, idParam } from '../common.schema.ts';

/** The example is the story's service: John Staff (2) gives one-hour consultations. */
export const serviceOutput = z
  .object({
    id: idOutput(1),
    name: z.string().meta({ examples: ['Consultation'] }),
    description: z.string().nullable().meta({ examples: ['A first talk about what you need.'] }),
    duration_minutes: z.number().int().min(1).meta({ examples: [60] }),
    location: z.string().nullable().meta({ examples: ['Room 2, Torstraße 1, Berlin'] }),
    price_cents: z.number().int().min(0).meta({ examples: [5000] }),
    currency: z.string().meta({ examples: ['EUR'] }),
    buffer_before_minutes: z.number().int().min(0).nullable().meta({ description: "null: the staff member's own buffer", examples: [null] }),
    buffer_after_minutes: z.number().int().min(0).nullable().meta({ description: "null: the staff member's own buffer", examples: [10] }),
    capacity: z.number().int().min(1).meta({ description: 'Seats per occurrence', examples: [1] }),
    reminder_lead_minutes: z
      .array(z.number().int().min(1))
      .nullable()
      .meta({ description: "Minutes before the start, one reminder each, longest first; null: the deployment's REMINDER_LEAD_MINUTES", examples: [[1440, 60]] }),
    staff_ids: z.array(idOutput(2)).meta({ description: 'Who offers it, ascending', examples: [[2]] }),
    is_active: z.boolean().meta({ examples: [true] }),
  })
  .meta({ id: 'Service' });

const staffIds = z.array(idParam).max(MAX_SERVICE_STAFF).meta({ description: 'Active staff members who offer it' });
const reminderLeads = reminderLeadMinutesSchema.meta({
  description: "Minutes before the start, one reminder each (deduplicated; [] sends none); null: the deployment's REMINDER_LEAD_MINUTES",
});

export const createServiceInput = z
  .object({
    name: serviceNameSchema,
    description: serviceDescriptionSchema.nullable().default(null),
    duration_minutes: serviceDurationSchema.meta({ description: 'Whole minutes, at least the shortest appointment, at most a day' }),
    location: serviceLocationSchema.nullable().default(null),
    price_cents: priceCentsSchema.default(0),
    currency: currencySchema.meta({ description: 'ISO 4217, upper case' }),
    buffer_before_minutes: serviceBufferSchema.nullable().default(null).meta({ description: "Replaces the staff member's buffer; null keeps theirs" }),
    buffer_after_minutes: serviceBufferSchema.nullable().default(null).meta({ description: "Replaces the staff member's buffer; null keeps theirs" }),
    capacity: capacitySchema.default(1).meta({ description: 'Seats per occurrence' }),
    reminder_lead_minutes: reminderLeads.nullable().default(null),
    staff_ids: staffIds.default([]),
  })
  .meta({
    examples: [
      {
        name: 'Consultation',
        description: 'A first talk about what you need.',
        duration_minutes: 60,
        location: 'Room 2, Torstraße 1, Berlin',
        price_cents: 5000,
        currency: 'EUR',
        buffer_after_minutes: 10,
        reminder_lead_minutes: [1440, 60],
        staff_ids: [2],
      },
      { name: 'Yoga class', duration_minutes: 90, currency: 'EUR', price_cents: 1500, capacity: 12, staff_ids: [2] },
    ],
  });

/** Each field: a value sets it, absent leaves it; the nullable ones return to "none" with null. */
export const updateServiceInput = z
  .object({
    id: idParam,
    name: serviceNameSchema.optional(),
    description: serviceDescriptionSchema.nullable().optional(),
    duration_minutes: serviceDurationSchema.optional(),
    location: serviceLocationSchema.nullable().optional(),
    price_cents: priceCentsSchema.optional(),
    currency: currencySchema.optional(),
    buffer_before_minutes: serviceBufferSchema.nullable().optional(),
    buffer_after_minutes: serviceBufferSchema.nullable().optional(),
    capacity: capacitySchema.optional(),
    reminder_lead_minutes: reminderLeads.nullable().optional(),
    staff_ids: staffIds.optional().meta({ description: 'Replaces the whole list' }),
    is_active: z.boolean().optional().meta({ description: 'true brings a deactivated service back' }),
  })
  .meta({ examples: [{ id: 1, price_cents: 5500, location: 'Room 3, Torstraße 1, Berlin' }, { id: 1, is_active: true }] });

export const serviceIdInput = z.object({ id: idParam });

export const listServicesInput = z
  .object({
    // A query parameter: a plain boolean would read "false" as true.
    include_inactive: z.enum(['true', 'false']).default('false').meta({ description: 'Admins only: also deactivated services' }),
    ...cursorListInputShape,
  })
  .default({ include_inactive: 'false', ...CURSOR_LIST_DEFAULTS });
/** By id; over REST a plain array, the next cursor in headers. */
export const listServicesOutput = cursorPageOutput(serviceOutput);

export function toServiceOutput(service: Service): z.output<typeof serviceOutput> {
  return {
    id: service.id,
    name: service.name,
    description: service.description,
    duration_minutes: service.durationMinutes,
    location: service.location,
    price_cents: service.priceCents,
    currency: service.currency,
    buffer_before_minutes: service.bufferBeforeMinutes,
    buffer_after_minutes: service.bufferAfterMinutes,
    capacity: service.capacity,
    reminder_lead_minutes: service.reminderLeadMinutes && [...service.reminderLeadMinutes],
    staff_ids: [...service.staffIds],
    is_active: service.isActive,
  };
}
