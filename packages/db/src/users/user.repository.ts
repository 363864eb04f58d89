import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/core';
import { DomainError, type Role, type User } from '@appointments/domain';
import { UserEntity } from './user.entity.ts';

export interface NewUser {
  readonly email: string;
  readonly fullName: string;
  readonly role: Role;
  readonly passwordHash: string;
  readonly timezone: string;
}

export type UserChanges = Partial<{
  fullName: string;
  timezone: string;
  role: Role;
  isActive: boolean;
  isBlocked: boolean;
  passwordHash: string;
}>;

export interface Page<T> {
  readonly items: readonly T[];
  readonly total: number;
}

export function toUser(entity: UserEntity): User {
  return {
    id: entity.id,
    email: entity.email,
    fullName: entity.fullName,
    role: entity.role,
    isActive: entity.isActive,
    timezone: entity.timezone,
    noShowCount: entity.noShowCount,
    isBlocked: entity.isBlocked,
    createdAt: entity.createdAt,
  };
}

/** The only place that reads or writes users; everything it returns is plain data. */
export class UserRepository {
  readonly #em: EntityManager;
  /** @internal Built by Database only; keeps MikroORM out of the published client's types. */
  constructor(em: EntityManager) {
    this.#em = em;
  }

  async create(data: NewUser): Promise<User> {
    const entity = this.#em.create(UserEntity, { ...data, isActive: true, noShowCount: 0, isBlocked: false });
    try {
      await this.#em.flush();
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException) {
        throw new DomainError('USER.EMAIL_TAKEN', 'A user with this email already exists');
      }
      throw error;
    }
    return toUser(entity);
  }

  async findById(id: number): Promise<User | null> {
    const entity = await this.#em.findOne(UserEntity, { id });
    return entity && toUser(entity);
  }

  /** For authentication only: the one read that returns the password hash. */
  async findCredentials(email: string): Promise<{ user: User; passwordHash: string } | null> {
    const entity = await this.#em.findOne(UserEntity, { email });
    return entity && { user: toUser(entity), passwordHash: entity.passwordHash };
  }

  async passwordHash(id: number): Promise<string | null> {
    const entity = await this.#em.findOne(UserEntity, { id });
    return entity?.passwordHash ?? null;
  }

  async list(page: { offset: number; limit: number }): Promise<Page<User>> {
    const [entities, total] = await this.#em.findAndCount(
      UserEntity,
      {},
      { orderBy: { id: 'asc' }, offset: page.offset, limit: page.limit },
    );
    return { items: entities.map(toUser), total };
  }

  async update(id: number, changes: UserChanges): Promise<User> {
    const entity = await this.#em.findOne(UserEntity, { id });
    if (!entity) throw new DomainError('USER.NOT_FOUND', `User ${id} not found`);
    // Absent fields mean "leave as is", never "set to undefined".
    this.#em.assign(entity, Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)));
    await this.#em.flush();
    return toUser(entity);
  }
}
