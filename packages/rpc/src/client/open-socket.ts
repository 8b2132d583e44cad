import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import WebSocket from 'ws';
import { OwlError, type OwlErrorCode } from '../errors/owl-error.ts';
import { managementAddress } from '../transport/management-address.ts';
import { RPC_PATH } from '../transport/listen.ts';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import { DEFAULT_RPC_LIMITS } from '../server/limits.ts';
import type { ConnectTarget } from './connect-target.ts';
import { isSha256Fingerprint, pinnedTlsConnect } from './pinned-tls.ts';

const STATUS_CODES: Record<number, OwlErrorCode> = { 401: 'OWL_UNAUTHORIZED', 403: 'OWL_FORBIDDEN', 429: 'OWL_TOO_MANY_REQUESTS' };
const UNTRUSTED_CERT_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

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

export interface OpenedSocket {
  socket: WebSocket;
  /** The largest frame the daemon reads, as it said at the upgrade (the default limit when it did not). */
  maxFrameBytes: number;
}

function maxFrameBytesOf(response: IncomingMessage): number {
  const advertised = Number(response.headers[MAX_FRAME_HEADER]);
  return Number.isSafeInteger(advertised) && advertised > 0 ? advertised : DEFAULT_RPC_LIMITS.maxFrameBytes;
}

/** Opens the WebSocket to a daemon, mapping failures to OWL_DAEMON_UNREACHABLE / OWL_UNAUTHORIZED. */
export function openSocket(target: ConnectTarget, connectTimeoutMs: number): Promise<OpenedSocket> {
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
    if (target.fingerprint) {
      if (!url.startsWith('wss:')) {
        return Promise.reject(new OwlError('OWL_USAGE', `a pinned fingerprint needs a TLS URL (wss://...), received ${target.url}`));
      }
      if (!isSha256Fingerprint(target.fingerprint)) {
        return Promise.reject(new OwlError('OWL_USAGE', `fingerprint: expected 64 hex digits (sha256, colons allowed), received "${target.fingerprint}"`));
      }
      // The self-signed cert is trusted by its hash, checked before the token is sent.
      options.createConnection = pinnedTlsConnect(target.url, target.fingerprint, connectTimeoutMs) as unknown as WebSocket.ClientOptions['createConnection'];
    }
  }
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    // ws's handshakeTimeout does not cover a connection made by createConnection: a daemon
    // that accepts (the kernel does, even for a stopped process) but never answers is cut here.
    const deadline = setTimeout(() => {
      fail(new OwlError('OWL_DAEMON_NOT_ANSWERING', `${describeTarget(target)} did not answer within ${connectTimeoutMs} ms`, { data: { timeoutMs: connectTimeoutMs } }));
    }, connectTimeoutMs);
    const fail = (error: OwlError): void => {
      clearTimeout(deadline);
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
        const code = STATUS_CODES[response.statusCode ?? 0] ?? 'OWL_DAEMON_UNREACHABLE';
        fail(new OwlError(code, `${describeTarget(target)} refused the connection (HTTP ${response.statusCode}): ${message}`));
      });
    });
    let maxFrameBytes = DEFAULT_RPC_LIMITS.maxFrameBytes;
    socket.once('upgrade', (response) => (maxFrameBytes = maxFrameBytesOf(response)));
    socket.once('open', () => {
      clearTimeout(deadline);
      socket.removeAllListeners('error');
      resolve({ socket, maxFrameBytes });
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      if (error instanceof OwlError) return fail(error);
      if (error.code && UNTRUSTED_CERT_CODES.has(error.code)) {
        return fail(
          new OwlError('OWL_TLS_FINGERPRINT_MISMATCH', `${describeTarget(target)} presented a certificate this machine does not trust (${error.code}); ` +
            'pin its sha256 fingerprint, shown by "owl daemon status" on that machine, with --fingerprint or OWL_FINGERPRINT', { cause: error }),
        );
      }
      const hint =
        target.kind === 'local'
          ? ' (is it running? start it with "owl daemon start")'
          : error.code === 'ECONNRESET' && url.startsWith('ws:')
            ? ' (if that daemon serves TLS, use a wss:// URL)'
            : '';
      fail(new OwlError('OWL_DAEMON_UNREACHABLE', `cannot reach ${describeTarget(target)}: ${error.code ?? error.message}${hint}`, { cause: error }));
    });
  });
}
