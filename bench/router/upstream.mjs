// The upstream of the router benchmark: a constant JSON answer on every path, keep-alive on.
// Stands in for a regional service so the benchmark measures the proxies, not the service.
import { createServer } from 'node:http';

const body = JSON.stringify({
  id: '7f1e4c2a-0000-4000-8000-000000000001',
  name: 'Site header',
  scope: 'site',
  version: 3,
  content: {
    blocks: [
      { type: 'header', text: 'Welcome' },
      { type: 'navigation', items: 6 },
    ],
  },
});
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
