// Control for the router and asset benchmarks: Fastify + @fastify/reply-from with nothing else (no token,
// no lookup, no hooks), so the table separates Node's proxying cost from the router's own work.
import replyFrom from '@fastify/reply-from';
import Fastify from 'fastify';

const app = Fastify({ logger: false });
await app.register(replyFrom, { base: process.env.UPSTREAM, undici: { connections: 128, pipelining: 1 } });
// Request bodies stay streams, as in the router (bench:assets sends images through it).
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
app.all('/*', (request, reply) => reply.from(request.url));
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));
