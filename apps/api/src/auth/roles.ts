import { SetMetadata } from '@nestjs/common';
import { Extensions } from '@nestjs/graphql';

/**
 * Who may do what. Each role includes the ones before it:
 * viewer (entity reads) < analyst (+ analyses, custom views, cypher) < writer (+ commands, imports, webhooks)
 * < admin (+ rebuild, keys).
 */
export const ROLES = ['viewer', 'analyst', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Nest metadata key (on the resolver method) and GraphQL field extension key holding the required role. */
export const ROLE_METADATA = 'catalyst:requiredRole';
export const ROLE_EXTENSION = 'requiredRole';

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when a principal holding `held` may use something that requires `required`. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}

/**
 * Declares the least role a root field (query, mutation, subscription), a field resolver or an
 * object field needs. Put it on every resolver method, next to @Query/@Mutation/@Subscription/@ResolveField:
 *
 *   @RequireRole('viewer')
 *   @Query(() => Incident) incident(...) {}
 *
 * The role lands in the built schema as the field's `extensions.requiredRole` (checked for every
 * operation before it runs, over HTTP and graphql-ws) and as Nest metadata on the handler.
 * A root field without a declared role is refused to everyone but admin, and the schema-walk test fails.
 */
export function RequireRole(role: Role): MethodDecorator & PropertyDecorator {
  if (!isRole(role)) throw new Error(`RequireRole: unknown role "${String(role)}" (one of ${ROLES.join(', ')})`);
  return (target: object, propertyKey: string | symbol, descriptor?: PropertyDescriptor) => {
    Extensions({ [ROLE_EXTENSION]: role })(target, propertyKey);
    if (descriptor) SetMetadata(ROLE_METADATA, role)(target, propertyKey, descriptor);
  };
}
