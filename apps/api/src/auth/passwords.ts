import { hash, verify } from '@node-rs/argon2';

// OWASP's Argon2id baseline (19 MiB, 2 passes, 1 lane); @node-rs/argon2 defaults to Argon2id.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword('timing-equaliser-not-a-real-password'));

/** Computes the dummy hash at start-up, so even the first unknown-email login costs one verification, like the rest. */
export async function warmUpPasswordHashing(): Promise<void> {
  await dummy();
}

/**
 * Verifies a password; with no stored hash (unknown email, or a guest without a password) it still runs a full Argon2
 * verification against a dummy hash, so both failures take the same time.
 */
export async function verifyPassword(storedHash: string | null | undefined, password: string): Promise<boolean> {
  if (storedHash) {
    try {
      return await verify(storedHash, password);
    } catch {
      return false;
    }
  }
  await verify(await dummy(), password);
  return false;
}
