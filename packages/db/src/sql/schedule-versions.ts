import { Statement } from './statement.ts';

/** A staff member's schedule version (schedule-version.entity.ts); no row yet reads 0. */
export const SCHEDULE_VERSION = new Statement<{ readonly version: number }>('select version from schedule_versions where staff_id = ?');
