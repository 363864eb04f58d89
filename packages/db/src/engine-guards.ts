import type { CheckConstraint, TriggerDef } from '@mikro-orm/core';

/** Checks and triggers whose SQL differs per engine; `ormOptions` adds them to an entity's metadata at discovery. */
export type EngineGuards = Readonly<Record<'sqlite' | 'postgresql', { readonly checks: CheckConstraint[]; readonly triggers: TriggerDef[] }>>;
