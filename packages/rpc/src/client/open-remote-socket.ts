import WebSocket from 'ws';
import { OwlError } from '../errors/owl-error.ts';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import { RPC_PATH } from '../transport/rpc-path.ts';
import type { OpenedSocket } from './client-socket.ts';
import type { ConnectTarget } from './connect-target.ts';
import { describeTarget, maxFrameBytesOf, notAnsweringError, refusedError, unreachableError } from './connect-errors.ts';
import { isSha256Fingerprint } from './fingerprint.ts';
import { pinnedTlsConnect } from './pinned-tls.ts';

const UNTRUSTED_CERT_CODES = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'ERR_TLS_CERT_ALTNAME_INVALID']);

type RemoteTarget = Extract<ConnectTarget, { kind: 'remote' }>;

function remoteUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.protocol === 'http:') parsed.protocol = 'ws:';
  if (parsed.protocol === 'https:') parsed.protocol = 'wss:';
  if (parsed.pathname === '/' || parsed.pathname === '') parsed.pathname = RPC_PATH;
  return parsed.toString();
}

/** Opens the WebSocket to a daemon's TCP plane with `ws` (TLS, tokens, pinned certificates). */
export function openRemoteSocket(target: RemoteTarget, connectTimeoutMs: number): Promise<OpenedSocket> {
  const options: WebSocket.ClientOptions = { handshakeTimeout: connectTimeoutMs, perMessageDeflate: false };
  let url: string;
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
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    // ws's handshakeTimeout does not cover a connection made by createConnection: a daemon
    // that accepts but never answers is cut here.
    const deadline = setTimeout(() => fail(notAnsweringError(target, connectTimeoutMs)), connectTimeoutMs);
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
      response.on('end', () => fail(refusedError(target, response.statusCode ?? 0, body)));
    });
    let maxFrameBytes = maxFrameBytesOf(undefined);
    socket.once('upgrade', (response) => (maxFrameBytes = maxFrameBytesOf(response.headers[MAX_FRAME_HEADER])));
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
      const hint = error.code === 'ECONNRESET' && url.startsWith('ws:') ? ' (if that daemon serves TLS, use a wss:// URL)' : '';
      fail(unreachableError(target, error, hint));
    });
  });
}
