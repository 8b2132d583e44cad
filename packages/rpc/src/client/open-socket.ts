import net from 'node:net';
import WebSocket from 'ws';
import { OwlError } from '../errors/owl-error.ts';
import { managementAddress } from '../transport/management-address.ts';
import { RPC_PATH } from '../transport/listen.ts';
import type { ConnectTarget } from './connect-target.ts';

function normalizeFingerprint(value: string): string {
  return value.replace(/[^0-9a-f]/gi, '').toLowerCase();
}

function describeTarget(target: ConnectTarget): string {
  return target.kind === 'local' ? `the daemon of ${target.home} (${managementAddress(target.home)})` : target.url;
}

function remoteUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = RPC_PATH;
  return parsed.toString();
}

/** Opens the WebSocket to a daemon, mapping failures to OWL_DAEMON_UNREACHABLE / OWL_UNAUTHORIZED. */
export function openSocket(target: ConnectTarget, connectTimeoutMs: number): Promise<WebSocket> {
  const options: WebSocket.ClientOptions = { handshakeTimeout: connectTimeoutMs, perMessageDeflate: false };
  let url: string;
  if (target.kind === 'local') {
    const address = managementAddress(target.home);
    url = `ws://localhost${RPC_PATH}`;
    options.createConnection = () => net.connect(address);
  } else {
    try {
      url = remoteUrl(target.url);
    } catch {
      return Promise.reject(new OwlError('OWL_USAGE', `"${target.url}" is not a valid URL (expected e.g. ws://host:9700 or wss://host:9700)`));
    }
    if (target.token) options.headers = { authorization: `Bearer ${target.token}` };
    // With a pinned fingerprint the self-signed cert is trusted by its hash, checked on connect.
    if (target.fingerprint) options.rejectUnauthorized = false;
  }
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    const fail = (error: OwlError): void => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => {
        let message = body;
        try {
          message = (JSON.parse(body) as { error?: string }).error ?? body;
        } catch {
          // Plain text body: keep it as it is.
        }
        const code = response.statusCode === 401 ? 'OWL_UNAUTHORIZED' : response.statusCode === 403 ? 'OWL_FORBIDDEN' : 'OWL_DAEMON_UNREACHABLE';
        fail(new OwlError(code, `${describeTarget(target)} refused the connection (HTTP ${response.statusCode}): ${message}`));
      });
    });
    socket.once('upgrade', (response) => {
      if (target.kind !== 'remote' || !target.fingerprint) return;
      const tlsSocket = response.socket as import('node:tls').TLSSocket;
      const presented = tlsSocket.getPeerCertificate?.()?.fingerprint256;
      if (!presented || normalizeFingerprint(presented) !== normalizeFingerprint(target.fingerprint)) {
        fail(new OwlError('OWL_TLS_FINGERPRINT_MISMATCH', `${target.url} presented certificate fingerprint ${presented ?? '(none)'}, expected ${target.fingerprint}`));
      }
    });
    socket.once('open', () => {
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      const hint = target.kind === 'local' ? ' (is it running? start it with "owl daemon start")' : '';
      fail(new OwlError('OWL_DAEMON_UNREACHABLE', `cannot reach ${describeTarget(target)}: ${error.code ?? error.message}${hint}`, { cause: error }));
    });
  });
}
