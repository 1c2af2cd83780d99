import { registerEnumType } from 'type-graphql';

export enum Role {
  ADMIN = 'ADMIN',
  OPERATOR = 'OPERATOR',
  VIEWER = 'VIEWER',
}
registerEnumType(Role, {
  name: 'Role',
  valuesConfig: {
    ADMIN: { description: 'Everything, tokens and settings' },
    OPERATOR: { description: 'Upload, run, cancel and read' },
    VIEWER: { description: 'Read only' },
  },
});

const rank: Record<Role, number> = { [Role.VIEWER]: 1, [Role.OPERATOR]: 2, [Role.ADMIN]: 3 };

/** True when `held` is at least `needed` (admin > operator > viewer). */
export function hasRole(held: Role, needed: Role): boolean {
  return rank[held] >= rank[needed];
}

export function parseRole(value: string): Role | undefined {
  const upper = value.toUpperCase();
  return (Object.values(Role) as string[]).includes(upper) ? (upper as Role) : undefined;
}
