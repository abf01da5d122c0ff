// TLS settings for the OpenFlow listener: like OVS's ssl: targets, both ends present certificates signed by a trusted CA.
import { readFileSync } from 'node:fs';
import type { TlsOptions } from 'node:tls';

/** PEM text (or bytes) of our key and certificate, and of the CA that signs switch certificates. */
export interface TlsMaterial {
  key: string | Buffer;
  cert: string | Buffer;
  ca: string | Buffer;
}

/** The oldest protocol version accepted: OVS 2.x and later negotiate TLS 1.2 or 1.3. */
const MIN_TLS_VERSION = 'TLSv1.2';

/**
 * Server options that require a client certificate and verify it against `ca`: a switch without a
 * certificate, or with one from another CA, fails the TLS handshake and never reaches OpenFlow.
 * Host names are not checked, as in OVS, whose certificates name switches, not hosts.
 */
export function tlsServerOptions(m: TlsMaterial): TlsOptions {
  return { key: m.key, cert: m.cert, ca: m.ca, requestCert: true, rejectUnauthorized: true, minVersion: MIN_TLS_VERSION };
}

/** Reads PEM files (the same three `ovs-vsctl set-ssl` takes: private key, certificate, CA certificate). */
export function readTlsFiles(paths: { key: string; cert: string; ca: string }): TlsMaterial {
  return { key: readFileSync(paths.key), cert: readFileSync(paths.cert), ca: readFileSync(paths.ca) };
}
