// Demo app: a tiny HTTP server on PORT (default 8787), loopback only.
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 8787);
createServer((request, response) => {
  response.end(`hello from owl demo (pid ${process.pid})\n`);
}).listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${port}`));
