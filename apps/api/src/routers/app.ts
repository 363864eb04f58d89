import { router } from '../trpc.ts';
import { apiKeysRouter } from './api-keys/router.ts';
import { appointmentsRouter } from './appointments/router.ts';
import { authRouter } from './auth/router.ts';
import { availabilityRouter } from './availability/router.ts';
import { calendarRouter } from './calendar/router.ts';
import { manageRouter } from './manage/router.ts';
import { notificationsRouter } from './notifications/router.ts';
import { servicesRouter } from './services/router.ts';
import { staffRouter } from './staff/router.ts';
import { usersRouter } from './users/router.ts';
import { webhooksRouter } from './webhooks/router.ts';

export const appRouter = router({
  auth: authRouter,
  users: usersRouter,
  staff: staffRouter,
  services: servicesRouter,
  availability: availabilityRouter,
  appointments: appointmentsRouter,
  calendar: calendarRouter,
  manage: manageRouter,
  notifications: notificationsRouter,
  webhooks: webhooksRouter,
  apiKeys: apiKeysRouter,
});

export type AppRouter = typeof appRouter;
