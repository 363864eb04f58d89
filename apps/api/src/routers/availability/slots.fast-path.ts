import type { ServerResponse } from 'node:http';
import { isDatabaseUnavailable } from '@appointments/db';
import { boundedCache } from '@appointments/runtime';
import { serviceSlotQueryKey, type ServiceSlotCache, type ServiceSlotQueryKey } from './service-slot-cache.ts';
import { slotQueryKey, type SlotCache, type SlotQueryKey } from './slot-cache.ts';
import { slotsInput, slotsQueryOf } from './slots.schema.ts';

export const SLOTS_PATH = '/api/v1/availability/slots';

const QUERY_KEYS = new Set(['staff_id', 'service_id', 'date', 'from', 'to', 'slot_duration']);
const NUMBER_KEYS = new Set(['staff_id', 'service_id', 'slot_duration']);
/** Plain positive integers only: any other spelling goes to the adapter, which decides what it means. */
const PLAIN_INTEGER = /^[1-9]\d{0,9}$/;
/** Query strings remembered with what they mean; a widget polls the same few over and over. */
const MAX_QUERIES = 2_000;

type ParsedQuery = { readonly staff: SlotQueryKey } | { readonly service: ServiceSlotQueryKey };

/** The cache key a plainly spelled, valid query string means; false (kept too: a cache holds no null) for anything else. */
function parseQuery(search: string): ParsedQuery | false {
  const query: Record<string, string | number> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (!QUERY_KEYS.has(key) || key in query) return false;
    if (!NUMBER_KEYS.has(key)) query[key] = value;
    else if (PLAIN_INTEGER.test(value)) query[key] = Number(value);
    else return false;
  }
  const input = slotsInput.safeParse(query);
  if (!input.success) return false;
  try {
    const query = slotsQueryOf(input.data);
    return 'service' in query ? { service: serviceSlotQueryKey(query.service) } : { staff: slotQueryKey(query.staff) };
  } catch {
    return false; // an impossible range: the procedure says why
  }
}

/**
 * `GET /api/v1/availability/slots` answered straight from the slot cache, before the REST adapter,
 * whose routing, context, validation and serialisation cost ten times the rest of a cached answer
 * (bench/http.bench.ts). It answers only a cache hit for a plainly spelled query; a miss, an error,
 * anything unusual returns false and goes through the adapter, which fills the cache: answers and
 * errors keep their one source, the procedure.
 */
export function createSlotsFastPath(cache: SlotCache, serviceCache: ServiceSlotCache) {
  const queries = boundedCache<string, ParsedQuery | false>({ name: 'slot-query-strings', maxSize: MAX_QUERIES });
  // Other failures are the procedure's to report. An unavailable database is answered (503, by
  // the server) now: asking the procedure would wait out the database's timeouts a second time.
  const unlessUnavailable = (error: unknown) => {
    if (isDatabaseUnavailable(error)) throw error;
  };
  /** The cached body for `query`, or undefined for the procedure to answer. */
  const cachedBody = async (query: ParsedQuery): Promise<Buffer | undefined> => {
    if ('staff' in query) {
      const found = await cache.find(query.staff).catch(unlessUnavailable);
      return found?.list && cache.body(query.staff.key, found.list, Date.now());
    }
    const { key, slotDuration } = query.service;
    const found = await serviceCache.find(query.service).catch(unlessUnavailable);
    const list = found?.list;
    // A duration other than the service's is the procedure's 422.
    if (!list || (slotDuration !== undefined && slotDuration !== list.durationMinutes)) return undefined;
    return serviceCache.body(serviceCache.visible(key, list, Date.now()));
  };
  return async (search: string, res: ServerResponse): Promise<boolean> => {
    let query = queries.get(search);
    if (query === undefined) {
      query = parseQuery(search);
      queries.set(search, query);
    }
    if (!query) return false;
    const body = await cachedBody(query);
    if (!body) return false;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
    res.end(body);
    return true;
  };
}
