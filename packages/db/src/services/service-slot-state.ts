import type { Service } from '@appointments/domain';

/** What a service's slots depend on, as Database.serviceSlotState reads it in one statement. */
export interface ServiceSlotState {
  /** The fields that shape its slots. */
  readonly service: Pick<Service, 'id' | 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'capacity' | 'isActive'>;
  /** Whether anyone offers it (asked about one staff member: whether they do). */
  readonly offered: boolean;
  /**
   * Those fields, who offers it and each one's schedule version, as one text: equal texts mean the
   * same slots, so a cache of them keys on it (a change to the service or any of its staff moves it).
   */
  readonly fingerprint: string;
}
