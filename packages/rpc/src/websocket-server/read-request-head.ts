import type { Socket } from 'node:net';

export type HeadOutcome = { kind: 'head'; head: string; rest: Buffer } | { kind: 'too-large' };

/**
 * Reads an HTTP/1.1 request head off `socket` by hand: `onHead` gets it (without its blank
 * line) and the bytes that followed it in the same read, or 'too-large' once `maxHeadBytes`
 * came without one.
 */
export function readRequestHead(socket: Socket, maxHeadBytes: number, onHead: (outcome: HeadOutcome) => void): void {
  let received: Buffer = Buffer.alloc(0);
  const finish = (outcome: HeadOutcome): void => {
    socket.off('data', socketOnData);
    onHead(outcome);
  };
  const socketOnData = (chunk: Buffer): void => {
    // Only the tail can hold the blank line's start that the new chunk completes.
    const searchFrom = Math.max(0, received.length - 3);
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const headEnd = received.indexOf('\r\n\r\n', searchFrom);
    if (headEnd >= 0 && headEnd + 4 <= maxHeadBytes) {
      finish({ kind: 'head', head: received.subarray(0, headEnd).toString('latin1'), rest: received.subarray(headEnd + 4) });
    } else if (received.length >= maxHeadBytes) {
      finish({ kind: 'too-large' });
    }
  };
  socket.on('data', socketOnData);
}
