// Makes throwaway PKI for TLS tests with openssl: a CA, a controller cert, a switch cert, and a switch cert from a rogue CA.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../support/ovsExec.ts';

export interface CertSet {
  dir: string;
  /** file paths, as `ovs-vsctl set-ssl` wants them */
  files: {
    caCert: string;
    serverKey: string;
    serverCert: string;
    switchKey: string;
    switchCert: string;
    rogueKey: string;
    rogueCert: string;
  };
  pem(file: keyof CertSet['files']): Buffer;
}

/** Validity of the throwaway certificates. */
const DAYS = '2';
const RSA_BITS = 'rsa:2048';

async function selfSignedCa(dir: string, name: string): Promise<void> {
  await run(['openssl', 'req', '-x509', '-newkey', RSA_BITS, '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.pem`),
    '-days', DAYS, '-subj', `/CN=${name}`]);
}

async function signed(dir: string, name: string, ca: string): Promise<void> {
  await run(['openssl', 'req', '-newkey', RSA_BITS, '-nodes', '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', `/CN=${name}`]);
  await run(['openssl', 'x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, `${ca}.pem`), '-CAkey', join(dir, `${ca}.key`),
    '-CAcreateserial', '-out', join(dir, `${name}.pem`), '-days', DAYS]);
}

export async function makeCerts(): Promise<CertSet> {
  const dir = mkdtempSync(join(tmpdir(), 'esdn-tls-'));
  await selfSignedCa(dir, 'ca');
  await selfSignedCa(dir, 'rogue-ca');
  await signed(dir, 'controller', 'ca');
  await signed(dir, 'switch', 'ca');
  await signed(dir, 'rogue-switch', 'rogue-ca');
  const files = {
    caCert: join(dir, 'ca.pem'),
    serverKey: join(dir, 'controller.key'),
    serverCert: join(dir, 'controller.pem'),
    switchKey: join(dir, 'switch.key'),
    switchCert: join(dir, 'switch.pem'),
    rogueKey: join(dir, 'rogue-switch.key'),
    rogueCert: join(dir, 'rogue-switch.pem'),
  };
  return { dir, files, pem: (f) => readFileSync(files[f]) };
}
