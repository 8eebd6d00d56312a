// A second control for the router benchmark: Fastify with the router's own upstream client
// (services/router/src/upstream, from the router's production build) and nothing else — no token,
// no lookup, no hooks. Against the router it shows what the router's hardening costs on the same
// client; against the reply-from control, what the client itself saves.
import Fastify from 'fastify';
import { HOP_BY_HOP as ROUTER_HOP_BY_HOP } from '../../services/router/dist/edge/edge-headers.js';
import { UpstreamClient } from '../../services/router/dist/upstream/upstream-client.js';

const origin = process.env.UPSTREAM;
const client = new UpstreamClient();
// The router's own list, plus Host (the HTTP client sets the upstream's).
const HOP_BY_HOP = new Set([...ROUTER_HOP_BY_HOP, 'host']);
const app = Fastify({ logger: false });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
app.all('/*', (request, reply) => {
  const headers = {};
  for (const name in request.headers) if (!HOP_BY_HOP.has(name)) headers[name] = request.headers[name];
  client.send(
    {
      origin,
      path: request.url,
      method: request.method,
      headers,
      ...(request.body ? { body: request.body } : {}),
    },
    (answer) => {
      for (const name in answer.headers) if (!HOP_BY_HOP.has(name)) reply.header(name, answer.headers[name]);
      reply.code(answer.statusCode).send(answer.body ?? answer.stream);
    },
    () => reply.code(502).send({ code: 'UPSTREAM_UNAVAILABLE' }),
  );
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () =>
  app
    .close()
    .then(() => client.destroy())
    .then(() => process.exit(0)),
);
