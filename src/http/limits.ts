import { ApolloArmor } from '@escape.tech/graphql-armor';
import { NoSchemaIntrospectionCustomRule, specifiedRules, validate, type GraphQLSchema, type DocumentNode, type ValidationRule } from 'graphql';

/**
 * Limits on what one GraphQL operation may ask (graphql-armor): depth, aliases, directives
 * and tokens; no batched HTTP requests; no field suggestions nor introspection in
 * production. The same rules guard HTTP and the WebSocket.
 */
export function graphqlLimits(production: boolean) {
  const armor = new ApolloArmor({
    maxDepth: { n: 10 },
    // graphql-armor's cost grows 1.5× a level and ignores `first`: an admin console's history
    // page already costs millions. The schema is shallow and lists are capped (first ≤ 1000),
    // so depth, tokens and aliases bound a request instead.
    costLimit: { enabled: false },
    maxAliases: { n: 15 },
    maxDirectives: { n: 20 },
    maxTokens: { n: 2000 },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();
  const rules: ValidationRule[] = [...protection.validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  return {
    /** Spread into the ApolloServer options (plugins are to be merged with the server's own). */
    apollo: { ...protection, validationRules: rules },
    /** graphql-ws `validate`: the specified rules and the same limits. */
    validateSubscription: (schema: GraphQLSchema, document: DocumentNode) => validate(schema, document, [...specifiedRules, ...rules]),
  };
}
