import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { GraphQLFormattedError, GraphQLSchema } from 'graphql';
import { graphqlUploadExpress } from 'graphql-upload-minimal';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { Role } from '../auth/role';
import type { Principal } from '../auth/token-service';
import type { GraphQLContext } from '../graphql/context';
import { languageFromHeader } from '../i18n/localized';
import type { Services } from '../services';
import { requireToken, requireUploadPreflight, sendError } from './auth.middleware';
import { downloadsRouter } from './downloads.router';
import { operationsRouter } from './operations.router';
import { graphqlLimits } from './limits';
import { findWebRoot, webRouter } from './web.router';

export interface HttpApp {
  server: http.Server;
  /** Stops taking requests and closes WebSocket connections. */
  close(): Promise<void>;
}

/** In production, unexpected errors lose their message and stack (no SQL, no internals). */
function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError): GraphQLFormattedError => {
    if (!production) return formatted;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    if (extensions.code && extensions.code !== 'INTERNAL_SERVER_ERROR') return { ...formatted, extensions };
    return {
      message: 'Internal server error',
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
  };
}

function headerValue(params: Record<string, unknown> | undefined, name: string): string | undefined {
  const entry = Object.entries(params ?? {}).find(([key]) => key.toLowerCase() === name);
  return typeof entry?.[1] === 'string' ? entry[1] : undefined;
}

/** Express with /graphql (HTTP and graphql-ws on the same path), the downloads, /healthz and /metrics. */
export async function createHttpApp(services: Services, schema: GraphQLSchema): Promise<HttpApp> {
  const { config, logger } = services;
  const production = config.NODE_ENV === 'production';
  const app = express();
  app.disable('x-powered-by');
  const server = http.createServer(app);

  const limits = graphqlLimits(production);
  const wsServer = new WebSocketServer({ server, path: '/graphql', maxPayload: 64 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { principal?: Principal }>(
    {
      schema,
      onSubscribe: (_ctx, _id, payload) => limits.checkSubscription(schema, payload),
      onConnect: async (ctx) => {
        const principal = await services.tokens.authenticate(headerValue(ctx.connectionParams, 'authorization'));
        if (!principal) return false;
        ctx.extra.principal = principal;
        return true;
      },
      context: (ctx): GraphQLContext => ({
        principal: ctx.extra.principal as Principal,
        lang: languageFromHeader(
          headerValue(ctx.connectionParams, 'accept-language') ?? ctx.extra.request.headers['accept-language'],
        ),
        services,
      }),
    },
    wsServer,
  );

  const apollo = new ApolloServer<GraphQLContext>({
    schema,
    ...limits.apollo,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    // src/index.ts stops everything in order on SIGTERM; Apollo's own handler would race it.
    stopOnTerminationSignals: false,
    formatError: formatError(production),
    plugins: [
      ...limits.apollo.plugins,
      ApolloServerPluginDrainHttpServer({ httpServer: server }),
      { async serverWillStart() { return { async drainServer() { await wsCleanup.dispose(); } }; } },
    ],
  });
  await apollo.start();

  app.use(operationsRouter(services));
  app.use(downloadsRouter(services));
  const largestUpload = Math.max(
    config.MAX_UPLOAD_BYTES,
    ...Object.values(config.MAX_UPLOAD_BYTES_BY_ADAPTER),
  );
  app.use(
    '/graphql',
    requireUploadPreflight,
    requireToken(services, Role.VIEWER),
    // One byte more than the largest limit: busboy flags a file of exactly maxFileSize bytes as
    // truncated, and FileStore.save, which knows the adapter's limit, then sees it is over.
    graphqlUploadExpress({ maxFileSize: largestUpload + 1, maxFiles: 1 }),
    express.json({ limit: '1mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) => ({
        principal: req.principal as Principal,
        lang: languageFromHeader(req.headers['accept-language']),
        services,
      }),
    }),
  );
  app.use(webRouter(findWebRoot()));
  app.use((error: Error & { status?: number; expose?: boolean }, _req: Request, res: Response, _next: NextFunction) => {
    if (error.status && error.status < 500) {
      const code = error.status === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_REQUEST';
      return sendError(res, error.status, code, error.message);
    }
    logger.error({ err: error }, 'request failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', production ? 'Internal server error' : error.message);
  });

  return {
    server,
    async close() {
      await apollo.stop();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
    },
  };
}

/** A worker's HTTP side: /healthz and /metrics only. */
export function createOperationsApp(services: Services): HttpApp {
  const app = express();
  app.disable('x-powered-by');
  app.use(operationsRouter(services));
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    services.logger.error({ err: error }, 'request failed');
    sendError(res, 500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
  });
  const server = http.createServer(app);
  return {
    server,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
