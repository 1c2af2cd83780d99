import { GraphQLError, type GraphQLSchema } from 'graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import { hasRole, type Role } from '../auth/role';
import { AdapterResolver } from './adapter.resolver';
import { ColumnMappingResolver } from './column-mapping.resolver';
import type { GraphQLContext } from './context';
import { ImportFileResolver } from './import-file.resolver';
import { ImportIssueResolver } from './import-issue.resolver';
import { ImportJobResolver } from './import-job.resolver';
import { TokenResolver } from './token.resolver';

/** The executable schema; schema.graphql is printed from it. */
export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: [AdapterResolver, ColumnMappingResolver, ImportFileResolver, ImportIssueResolver, ImportJobResolver, TokenResolver],
    scalarsMap: [{ type: Date, scalar: GraphQLDateTime }],
    validate: false,
    // Required by type-graphql for any subscription; ours pass their own `subscribe` (see watchJob).
    pubSub: {
      publish: () => undefined,
      subscribe: () => {
        throw new Error('topic subscriptions are not used: subscriptions define their own subscribe function');
      },
    },
    authChecker: ({ context }, roles: Role[]) => {
      const { principal } = context as GraphQLContext;
      if (roles.every((role) => hasRole(principal.role, role))) return true;
      throw new GraphQLError(`This operation needs the ${roles.join(' or ')} role`, {
        extensions: { code: 'FORBIDDEN' },
      });
    },
  });
}
