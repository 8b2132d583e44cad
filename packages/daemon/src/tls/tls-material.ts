import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { OwlError } from '@owl/rpc';
import { ensureKeysDirectory, readOrCreateSecretFile } from '../auth/keys-directory.ts';
import type { TlsSetting } from '../config/tcp-plane-config.ts';
import { generateSelfSignedCertificate } from './self-signed-certificate.ts';

export const TLS_CERT_FILE = 'tls.crt';
export const TLS_KEY_FILE = 'tls.key';

export interface TlsMaterial {
  readonly cert: string;
  readonly key: string;
  /** sha256 of the DER certificate as "AB:CD:...": what clients pin. */
  readonly fingerprint: string;
  /** True when this call generated the self-signed pair. */
  readonly generated: boolean;
}

async function readPem(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `cannot read the TLS ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, { cause: error });
  }
}

function fingerprintOf(cert: string, source: string): string {
  try {
    return new X509Certificate(cert).fingerprint256;
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `${source} is not a PEM certificate: ${(error as Error).message}`, { cause: error });
  }
}

/** The self-signed pair in keys/, generated on first use (key first, so a crash in between leaves no cert without its key). */
async function ownCertificate(keysDirectory: string, bindHost: string): Promise<TlsMaterial> {
  await ensureKeysDirectory(keysDirectory);
  const keyFile = path.join(keysDirectory, TLS_KEY_FILE);
  const certFile = path.join(keysDirectory, TLS_CERT_FILE);
  let pending: { cert: string; key: string } | undefined;
  const generate = async (): Promise<{ cert: string; key: string }> => (pending ??= await generateSelfSignedCertificate([bindHost, hostname()]));
  const key = await readOrCreateSecretFile(keyFile, async () => (await generate()).key);
  const cert = await readOrCreateSecretFile(certFile, async () => {
    if (!key.created) {
      // A key from an earlier run whose certificate was lost: start the pair over.
      throw new OwlError('OWL_CONFIG_INVALID', `${certFile} is missing but ${keyFile} exists; remove ${keyFile} to generate a new pair`);
    }
    return (await generate()).cert;
  });
  return { cert: cert.content, key: key.content, fingerprint: fingerprintOf(cert.content, certFile), generated: cert.created };
}

/** The certificate and key the TCP plane serves with, per `planes.tcp.tls`. */
export async function loadTlsMaterial(setting: Exclude<TlsSetting, false>, keysDirectory: string, bindHost: string): Promise<TlsMaterial> {
  if (setting === true) return ownCertificate(keysDirectory, bindHost);
  const cert = await readPem(setting.cert, 'certificate');
  const key = await readPem(setting.key, 'key');
  try {
    createPrivateKey(key);
  } catch (error) {
    throw new OwlError('OWL_CONFIG_INVALID', `${setting.key} is not a PEM private key: ${(error as Error).message}`, { cause: error });
  }
  return { cert, key, fingerprint: fingerprintOf(cert, setting.cert), generated: false };
}
