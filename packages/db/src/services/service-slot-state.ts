import type { Service } from '@appointments/domain';

/** What a service's slots depend on, as Database.serviceSlotState reads it in one statement. */
export interface ServiceSlotState {
  /** The fields that shape its slots. */
  readonly service: Pick<Service, 'id' | 'durationMinutes' | 'bufferBeforeMinutes' | 'bufferAfterMinutes' | 'capacity' | 'isActive'>;
  /** The service's version: moved by any change to it or to who offers it. */
  readonly version: number;
  /**
   * The service's version and its staff members' schedule versions, as one text: equal texts mean
   * the same slots, so a cache of them keys on it (a change to the service, to who offers it or to
   * any of their schedules moves it).
   */
  readonly fingerprint: string;
}
