import { isIP, type Socket } from 'node:net';
import tls from 'node:tls';
import { OwlError } from '../errors/owl-error.ts';
import { normalizeFingerprint } from './fingerprint.ts';


type CreateConnectionCallback = (error: Error | null, socket?: Socket) => void;

/**
 * A `createConnection` for ws that trusts a self-signed certificate by its sha256
 * fingerprint. The check runs right after the TLS handshake and before the HTTP upgrade
 * request is written, so a token is never sent to a server presenting another certificate.
 */
export function pinnedTlsConnect(url: string, expected: string, timeoutMs: number) {
  return (options: { host?: string; port?: number | string; servername?: string }, callback: CreateConnectionCallback): undefined => {
    const host = (options.host ?? 'localhost').replace(/^\[|\]$/g, '');
    const socket = tls.connect({
      host,
      port: Number(options.port),
      // Certificate trust is decided by the pinned fingerprint below, not by a CA chain.
      rejectUnauthorized: false,
      // SNI takes host names only.
      ...(isIP(host) ? {} : { servername: host }),
    });
    const done = (error: Error | null): void => {
      clearTimeout(timer);
      socket.removeListener('error', socketOnError);
      if (error) {
        socket.destroy();
        callback(error);
      } else {
        callback(null, socket);
      }
    };
    const socketOnError = (error: Error): void => done(error);
    const timer = setTimeout(() => done(new OwlError('OWL_TIMEOUT', `${url} did not complete the TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    socket.once('error', socketOnError);
    socket.once('secureConnect', () => {
      const presented = socket.getPeerCertificate().fingerprint256;
      if (!presented || normalizeFingerprint(presented) !== normalizeFingerprint(expected)) {
        done(
          new OwlError(
            'OWL_TLS_FINGERPRINT_MISMATCH',
            `${url} presented a certificate with sha256 fingerprint ${presented ?? '(none)'}, but ${expected} is pinned; ` +
              'if the daemon\'s certificate changed on purpose, update the pin (owl remote add ... --fingerprint)',
          ),
        );
        return;
      }
      done(null);
    });
    return undefined;
  };
}
