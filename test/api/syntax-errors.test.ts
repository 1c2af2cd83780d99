import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { ADMIN_TOKEN, build, type TestApp } from '../helpers/build';

/** A client's broken query is the client's fault: HTTP 400 GRAPHQL_PARSE_FAILED, never a 500. */

const post = (app: TestApp, query: string) =>
  fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
    body: JSON.stringify({ query }),
  });

const overTokenLimit = `{ adapters { ${Array.from({ length: 2100 }, () => 'name').join(' ')} } }`;

/** The errors (or the close event) that ends one operation over the WebSocket. */
function wsOutcome(client: Client, query: string): Promise<{ data?: unknown; errors?: any }> {
  return new Promise((resolve) => {
    let data: unknown;
    client.subscribe({ query }, {
      next: (message) => (data = message.data),
      error: (errors) => resolve({ errors }),
      complete: () => resolve({ data }),
    });
  });
}

for (const nodeEnv of ['production', 'development']) {
  const production = nodeEnv === 'production';

  describe(`syntax errors (NODE_ENV=${nodeEnv})`, () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await build({ NODE_ENV: nodeEnv });
    });
    afterAll(() => app?.close());

    test.each(['{', '{ adapters { name }', 'query ($x: ) { adapters { name } }', 'mutation { runImport(input: { fileId: "1" ) { id } }'])(
      'HTTP: %j is 400 GRAPHQL_PARSE_FAILED',
      async (query) => {
        const res = await post(app, query);
        expect(res.status).toBe(400);
        const body = (await res.json()) as any;
        expect(body.errors).toHaveLength(1);
        expect(body.errors[0].message).toMatch(/^Syntax Error: /);
        expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
        if (production) expect(body.errors[0].extensions).not.toHaveProperty('stacktrace');
      },
    );

    test('HTTP: a query over the token limit is still refused, before it is parsed whole', async () => {
      const res = await post(app, overTokenLimit);
      expect(res.status).toBe(400);
      const body = (await res.json()) as any;
      expect(body.errors[0].message).toMatch(/more th\w+ 2000 tokens/);
      expect(body.errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
      if (production) expect(body.errors[0].extensions).not.toHaveProperty('stacktrace');
      // 1970 tokens (20 around 650 `kN: N`): parsed, validated and run.
      const keys = Array.from({ length: 650 }, (_, i) => `k${i}: ${i}`).join(' ');
      const under = await post(app, `mutation { runImport(input: { fileId: "999999", options: { ${keys} } }) { id } }`);
      expect(((await under.json()) as any).errors[0].extensions.code).toBe('NOT_FOUND');
    });

    test('WebSocket: a broken query or one over the token limit is an error of that operation; the connection stays', async () => {
      let closed = 0;
      const client = createClient({
        url: `${app.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${ADMIN_TOKEN}` },
        retryAttempts: 0,
        lazy: false, // one connection for all the operations below
        on: { closed: () => closed++ },
      });
      try {
        expect((await wsOutcome(client, '{ adapters { name } }')).data).toMatchObject({ adapters: expect.any(Array) });
        for (const [query, message] of [
          ['subscription { importProgress(jobId: "1") { id }', /^Syntax Error: /],
          [overTokenLimit, /more th\w+ 2000 tokens/],
        ] as const) {
          const { errors } = await wsOutcome(client, query);
          expect(Array.isArray(errors)).toBe(true);
          expect(errors).toHaveLength(1);
          expect(errors[0].message).toMatch(message);
          expect(errors[0].extensions).toEqual({ code: 'GRAPHQL_PARSE_FAILED' });
        }
        // Validation still applies over the WebSocket.
        const invalid = await wsOutcome(client, '{ adapters { nope } }');
        expect(invalid.errors?.[0].message).toMatch(/Cannot query field "nope"/);
        expect((await wsOutcome(client, '{ adapters { name } }')).data).toMatchObject({ adapters: expect.any(Array) });
        expect(closed).toBe(0);
      } finally {
        await client.dispose();
      }
    });
  });
}
