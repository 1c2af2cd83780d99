import { ApolloArmor } from '@escape.tech/graphql-armor';
import {
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import type { SubscribePayload } from 'graphql-ws';

const MAX_TOKENS = 2000;

/**
 * Limits on what one GraphQL operation may ask: depth, aliases and directives (graphql-armor),
 * tokens (graphql's parser); no batched HTTP requests; no field suggestions nor introspection
 * in production. The same rules guard HTTP and the WebSocket.
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
    // graphql-armor's Apollo plugin parses before Apollo does and turns any syntax error into
    // an unexpected one (HTTP 500). graphql's own parser stops at the same count instead, in
    // Apollo's parse step: a syntax error, HTTP 400 GRAPHQL_PARSE_FAILED.
    maxTokens: { enabled: false },
    blockFieldSuggestion: { enabled: production },
  });
  const protection = armor.protect();
  const rules: ValidationRule[] = [...protection.validationRules, ...(production ? [NoSchemaIntrospectionCustomRule] : [])];
  const parseOptions = { maxTokens: MAX_TOKENS };
  return {
    /** Spread into the ApolloServer options (plugins are to be merged with the server's own). */
    apollo: { ...protection, validationRules: rules, parseOptions },
    /**
     * graphql-ws `onSubscribe`: parses with the same token limit and validates with the
     * specified rules and the same limits. A syntax error is that operation's error, as over
     * HTTP; graphql-ws would otherwise close the whole connection as an internal error.
     */
    checkSubscription(schema: GraphQLSchema, payload: SubscribePayload): ExecutionArgs | readonly GraphQLError[] {
      let document: DocumentNode;
      try {
        document = parse(payload.query, parseOptions);
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        return [new GraphQLError(error.message, { source: error.source, positions: error.positions, extensions: { code: 'GRAPHQL_PARSE_FAILED' } })];
      }
      const errors = validate(schema, document, [...specifiedRules, ...rules]);
      if (errors.length > 0) return errors;
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables };
    },
  };
}
