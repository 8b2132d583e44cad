import { isIP } from 'node:net';

const VALID_YEARS = 10;

/**
 * A self-signed ECDSA P-256 certificate for the TCP plane. Clients trust it by its pinned
 * sha256 fingerprint, not by a CA, so its names only help humans reading it. `selfsigned`
 * (pure JS on WebCrypto) is used instead of the openssl binary, which Windows lacks; it is
 * loaded only when a certificate must be made.
 */
export async function generateSelfSignedCertificate(names: string[]): Promise<{ cert: string; key: string }> {
  // selfsigned is CommonJS: bundled, its functions may sit on the default export.
  const selfsigned = await import('selfsigned');
  const generate = selfsigned.generate ?? (selfsigned as unknown as { default: typeof selfsigned }).default.generate;
  const unique = [...new Set(['localhost', '127.0.0.1', '::1', ...names.filter((name) => name && name !== '0.0.0.0' && name !== '::')])];
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate);
  notAfterDate.setFullYear(notAfterDate.getFullYear() + VALID_YEARS);
  const pems = await generate([{ name: 'commonName', value: 'owld' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyAgreement: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: unique.map((name) => (isIP(name) ? { type: 7, ip: name } : { type: 2, value: name })) },
    ],
  });
  return { cert: pems.cert, key: pems.private };
}
