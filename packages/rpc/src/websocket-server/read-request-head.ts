import type { Socket } from 'node:net';

export interface HeadLimits {
  /** Largest head read, its blank line included; more is answered 431. */
  maxHeadBytes: number;
  /** Time the whole head may take to arrive; a client still silent then is cut. */
  timeoutMs: number;
}

export type HeadOutcome = { kind: 'head'; head: string; rest: Buffer } | { kind: 'too-large' };

/**
 * Reads an HTTP/1.1 request head off `socket` by hand: `onHead` gets it (without its blank
 * line) and the bytes that followed it in the same read, or 'too-large'. A client that does
 * not finish its head in time is cut without an answer, so it cannot hold a connection slot.
 */
export function readRequestHead(socket: Socket, limits: HeadLimits, onHead: (outcome: HeadOutcome) => void): void {
  let received: Buffer = Buffer.alloc(0);
  const deadline = setTimeout(() => socket.destroy(), limits.timeoutMs);
  const finish = (outcome: HeadOutcome): void => {
    clearTimeout(deadline);
    socket.off('data', socketOnData);
    socket.off('close', socketOnClose);
    onHead(outcome);
  };
  const socketOnData = (chunk: Buffer): void => {
    // Only the tail can hold the blank line's start that the new chunk completes.
    const searchFrom = Math.max(0, received.length - 3);
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const headEnd = received.indexOf('\r\n\r\n', searchFrom);
    if (headEnd >= 0 && headEnd + 4 <= limits.maxHeadBytes) {
      finish({ kind: 'head', head: received.subarray(0, headEnd).toString('latin1'), rest: received.subarray(headEnd + 4) });
    } else if (received.length >= limits.maxHeadBytes) {
      finish({ kind: 'too-large' });
    }
  };
  const socketOnClose = (): void => clearTimeout(deadline);
  socket.on('data', socketOnData);
  socket.once('close', socketOnClose);
}
