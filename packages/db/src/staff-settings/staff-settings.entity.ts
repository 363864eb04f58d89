import { defineEntity, p } from '@mikro-orm/core';
import { UserSchema } from '../users/user.entity.ts';

/** A staff member's booking-rule overrides; a null column (or no row) means "use the configured default". */
const StaffSettingsSchema = defineEntity({
  name: 'StaffSettings',
  tableName: 'staff_settings',
  properties: {
    staff: () => p.oneToOne(UserSchema).primary().deleteRule('cascade'),
    bufferBeforeMinutes: p.integer().nullable(),
    bufferAfterMinutes: p.integer().nullable(),
    minNoticeMinutes: p.integer().nullable(),
    maxAdvanceDays: p.integer().nullable(),
    slotIntervalMinutes: p.integer().nullable(),
    // Scheduled appointments a day, in the staff member's zone; null: no cap. Not a booking-rule
    // default: a cap is the staff member's own.
    maxBookingsPerDay: p.integer().nullable(),
  },
});

export class StaffSettingsEntity extends StaffSettingsSchema.class {}
StaffSettingsSchema.setClass(StaffSettingsEntity);
export { StaffSettingsSchema };
