import net from 'node:net';
import { MAX_FRAME_HEADER } from '../protocol/frames.ts';
import { managementAddress } from '../transport/management-address.ts';
import { RPC_PATH } from '../transport/rpc-path.ts';
import { newWebSocketKey, parseResponseHead, upgradeProblem, upgradeRequest } from '../websocket-client/handshake.ts';
import { LocalWebSocket } from '../websocket-client/local-websocket.ts';
import type { OpenedSocket } from './client-socket.ts';
import type { ConnectTarget } from './connect-target.ts';
import { maxFrameBytesOf, notAnsweringError, refusedError, unreachableError } from './connect-errors.ts';
import { OwlError } from '../errors/owl-error.ts';

const MAX_RESPONSE_HEAD_BYTES = 16 * 1024;
const MAX_REFUSAL_BODY_BYTES = 64 * 1024;
// The largest message read from the daemon: the `ws` package's default, which this client replaces.
const MAX_MESSAGE_BYTES = 100 * 1024 * 1024;

type LocalTarget = Extract<ConnectTarget, { kind: 'local' }>;

/**
 * Opens the WebSocket to the local daemon's management plane (unix socket or named pipe)
 * with the light client: node:net and a few hundred lines instead of `ws`, http, https, tls,
 * crypto and zlib, which a short `owl ls` would spend most of its own time loading.
 */
export function openLocalSocket(target: LocalTarget, connectTimeoutMs: number): Promise<OpenedSocket> {
  const key = newWebSocketKey();
  const socket = net.connect(managementAddress(target.home));
  socket.write(upgradeRequest(RPC_PATH, key));
  return new Promise((resolve, reject) => {
    let received = Buffer.alloc(0);
    let refusal: { status: number; bodyBytes: number | null; bodyStart: number } | undefined;
    const deadline = setTimeout(() => fail(notAnsweringError(target, connectTimeoutMs)), connectTimeoutMs);
    const finish = (): void => {
      clearTimeout(deadline);
      socket.removeListener('data', socketOnData);
      socket.removeListener('error', socketOnError);
      socket.removeListener('close', socketOnClose);
    };
    const fail = (error: OwlError): void => {
      finish();
      socket.on('error', () => undefined);
      socket.destroy();
      reject(error);
    };
    const refuse = (): void => {
      const { status, bodyStart } = refusal as NonNullable<typeof refusal>;
      fail(refusedError(target, status, received.subarray(bodyStart).toString('utf8')));
    };
    const socketOnData = (chunk: Buffer): void => {
      received = Buffer.concat([received, chunk]);
      if (refusal) {
        if (refusal.bodyBytes !== null && received.length - refusal.bodyStart >= refusal.bodyBytes) refuse();
        else if (received.length - refusal.bodyStart > MAX_REFUSAL_BODY_BYTES) refuse();
        return;
      }
      const headEnd = received.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (received.length > MAX_RESPONSE_HEAD_BYTES) fail(upgradeError(target, `a response head of more than ${MAX_RESPONSE_HEAD_BYTES} bytes`));
        return;
      }
      const head = parseResponseHead(received.subarray(0, headEnd).toString('latin1'));
      if (head === null) return fail(upgradeError(target, `not an HTTP response: ${JSON.stringify(received.subarray(0, 80).toString('latin1'))}`));
      if (head.status !== 101) {
        const length = Number(head.headers.get('content-length'));
        refusal = { status: head.status, bodyBytes: Number.isSafeInteger(length) && length >= 0 ? Math.min(length, MAX_REFUSAL_BODY_BYTES) : null, bodyStart: headEnd + 4 };
        socketOnData(Buffer.alloc(0));
        return;
      }
      const problem = upgradeProblem(head.headers, key);
      if (problem !== null) return fail(upgradeError(target, problem));
      finish();
      const websocket = new LocalWebSocket(socket, received.subarray(headEnd + 4), MAX_MESSAGE_BYTES);
      resolve({ socket: websocket, maxFrameBytes: maxFrameBytesOf(head.headers.get(MAX_FRAME_HEADER)) });
    };
    const socketOnError = (error: NodeJS.ErrnoException): void => fail(unreachableError(target, error, ' (is it running? start it with "owl daemon start")'));
    // A refusal without Content-Length ends with the connection; anything else ending here is an upgrade never answered.
    const socketOnClose = (): void => (refusal ? refuse() : fail(upgradeError(target, 'the connection closed before the upgrade was answered')));
    socket.on('data', socketOnData);
    socket.once('error', socketOnError);
    socket.once('close', socketOnClose);
  });
}

function upgradeError(target: LocalTarget, problem: string): OwlError {
  return unreachableError(target, new Error(`the WebSocket upgrade failed: ${problem}`), '');
}
