import { z } from 'zod';
import { adminProcedure, optionalAuthProcedure, router } from '../../trpc.ts';
import { createServiceHandler, deleteServiceHandler, getServiceHandler, listServicesHandler, updateServiceHandler } from './services.handler.ts';
import { createServiceInput, listServicesInput, listServicesOutput, serviceIdInput, serviceOutput, updateServiceInput } from './service.schema.ts';

const tags = ['services'];
const adminOnly = { 403: 'Admin role required' };
const invalid = { 422: 'Invalid service: a field, a duration shorter than the shortest appointment, or a staff id that is not an active staff member' };
const unknown = { 404: 'No such service' };

export const servicesRouter = router({
  create: adminProcedure
    .meta({ openapi: { method: 'POST', path: '/api/v1/services', tags, summary: 'Add a service (admin)', protect: true, errorResponses: { ...adminOnly, ...invalid } }, successStatus: 201, scope: 'services:write' })
    .input(createServiceInput)
    .output(serviceOutput)
    .mutation(createServiceHandler),

  list: optionalAuthProcedure
    .meta({
      openapi: {
        method: 'GET',
        path: '/api/v1/services',
        tags,
        summary: 'The services on offer',
        description: 'Active services by id; an admin may ask for deactivated ones too.',
        protect: false,
        errorResponses: { 403: 'include_inactive needs an admin token' },
      },
      cursorInHeaders: true,
    })
    .input(listServicesInput)
    .output(listServicesOutput)
    .query(listServicesHandler),

  get: optionalAuthProcedure
    .meta({ openapi: { method: 'GET', path: '/api/v1/services/{id}', tags, summary: 'A service', description: 'A deactivated service is found by admins only.', protect: false, errorResponses: unknown } })
    .input(serviceIdInput)
    .output(serviceOutput)
    .query(getServiceHandler),

  update: adminProcedure
    .meta({ openapi: { method: 'PATCH', path: '/api/v1/services/{id}', tags, summary: 'Change a service (admin)', protect: true, errorResponses: { ...adminOnly, ...unknown, ...invalid } }, scope: 'services:write' })
    .input(updateServiceInput)
    .output(serviceOutput)
    .mutation(updateServiceHandler),

  delete: adminProcedure
    .meta({
      openapi: { method: 'DELETE', path: '/api/v1/services/{id}', tags, summary: 'Deactivate a service (admin)', description: 'The service stays, for the appointments that name it.', protect: true, errorResponses: { ...adminOnly, ...unknown } },
      successStatus: 204,
      scope: 'services:write',
    })
    .input(serviceIdInput)
    .output(z.void())
    .mutation(deleteServiceHandler),
});
