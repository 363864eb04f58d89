import { defineEntity, p } from '@mikro-orm/core';

/**
 * Attempt windows of the login and sign-up throttles (the rules are the domain's), shared by every
 * API process so that running more of them gives an attacker no more guesses. A row per key.
 */
const AttemptWindowSchema = defineEntity({
  name: 'AttemptWindow',
  tableName: 'attempt_windows',
  properties: {
    // e.g. `account:<email>` or `address:<ip>`. Text: an email's length is checked before it is
    // lower-cased, which can lengthen it.
    key: p.text().primary(),
    count: p.integer(),
    windowStart: p.datetime(),
    // When the window stops mattering: the sweep deletes rows past it.
    expiresAt: p.datetime().index(),
  },
});

export class AttemptWindowEntity extends AttemptWindowSchema.class {}
AttemptWindowSchema.setClass(AttemptWindowEntity);
export { AttemptWindowSchema };
