import http from 'node:http'; import https from 'node:https'; import net from 'node:net'; import tls from 'node:tls';
import selfsigned from 'selfsigned'; import WebSocket, { WebSocketServer } from 'ws';
const pems = await selfsigned.generate([{ name: 'commonName', value: 'owld' }], { keyType: 'ec', algorithm: 'sha256' });
for (const secure of [false, true]) {
  const opts = { headersTimeout: 500, requestTimeout: 500, connectionsCheckingInterval: 100, ...(secure ? { key: pems.private, cert: pems.cert, handshakeTimeout: 500 } : {}) };
  const server = secure ? https.createServer(opts) : http.createServer(opts);
  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (req, sock, head) => wss.handleUpgrade(req, sock, head, (ws) => ws.send('hi')));
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  for (const mode of ['nothing', 'partial']) {
    const t = Date.now();
    await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => { if (mode === 'partial' && !secure) s.write('GET /rpc HTTP/1.1\r\nHost: x\r\n'); });
      s.on('close', () => { console.log(secure ? 'https' : 'http', mode, 'closed after', Date.now() - t); resolve(); });
      s.on('error', () => {});
      setTimeout(() => { console.log(secure?'https':'http', mode, 'still open after 3s'); s.destroy(); }, 3000).unref();
    });
  }
  if (secure) {
    // partial over TLS
    const t = Date.now();
    await new Promise((resolve) => {
      const s = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false }, () => s.write('GET /rpc HTTP/1.1\r\nHost: x\r\n'));
      s.on('close', () => { console.log('https partial-after-tls closed after', Date.now() - t); resolve(); });
      s.on('error', () => {});
      setTimeout(() => { console.log('https partial still open'); s.destroy(); }, 3000).unref();
    });
    // ws client with async createConnection
    const ws = new WebSocket(`wss://127.0.0.1:${port}/rpc`, { rejectUnauthorized: false, createConnection: (o, cb) => {
      const s = tls.connect({ host: o.host, port: o.port, rejectUnauthorized: false, servername: '' });
      s.once('secureConnect', () => { console.log('peer fp', s.getPeerCertificate().fingerprint256.slice(0,10)); setTimeout(() => cb(null, s), 50); });
      s.once('error', (e) => cb(e));
      return undefined;
    }, headers: { authorization: 'Bearer x' } });
    await new Promise((resolve, reject) => { ws.on('message', (m) => { console.log('got', m.toString()); ws.close(); resolve(); }); ws.on('error', reject); });
    const ws2 = new WebSocket(`wss://127.0.0.1:${port}/rpc`, { createConnection: (o, cb) => { setTimeout(() => cb(new Error('pin mismatch')), 10); return undefined; } });
    await new Promise((resolve) => ws2.on('error', (e) => { console.log('ws2 error', e.message); resolve(); }));
  }
  server.close(); server.closeAllConnections();
}
