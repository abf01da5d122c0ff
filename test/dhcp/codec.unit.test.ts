// DHCP codec: encode/decode round trips, RFC 3442 route bytes, checksums a receiver accepts, and random bytes never throw.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { answerDhcp } from '../../src/controller/dhcp/answer.ts';
import { buildUdpFrame, parseUdpFrame } from '../../src/controller/dhcp/frame.ts';
import type { Lease } from '../../src/controller/dhcp/lease.ts';
import { BOOTREQUEST, decode, encode, encodingLength, type DhcpMessage } from '../../src/controller/dhcp/message.ts';
import { DHCPACK, DHCPDISCOVER, DHCPNAK, DHCPOFFER, DHCPREQUEST, OPT_CLASSLESS_ROUTES } from '../../src/controller/dhcp/options.ts';

const MAC = '02:00:00:00:0d:01';
const discover: DhcpMessage = {
  op: BOOTREQUEST, xid: 0x12345678, secs: 3, flags: 0, ciaddr: '0.0.0.0', yiaddr: '0.0.0.0', siaddr: '0.0.0.0', giaddr: '0.0.0.0',
  chaddr: MAC, options: { messageType: DHCPDISCOVER, parameterRequestList: [1, 3, 6, 26, 121], clientId: Buffer.from([1, 2, 0, 0, 0, 0x0d, 1]) },
};
const lease: Lease = {
  portId: 'p', mac: MAC, ip: '10.9.0.23', subnetMask: '255.255.255.0', prefixLength: 24, gateway: '10.9.0.1', dnsServers: ['192.0.2.53'],
  routes: [{ destination: '172.31.0.0/16', nexthop: '10.9.0.254' }, { destination: '0.0.0.0/0', nexthop: '10.9.0.1' }],
  mtu: 1400, leaseSeconds: 86400, serverId: '10.9.0.1',
};
const clientFrame = (m: DhcpMessage) => buildUdpFrame({ ethSrc: MAC, ethDst: 'ff:ff:ff:ff:ff:ff', ipSrc: '0.0.0.0', ipDst: '255.255.255.255', srcPort: 68, dstPort: 67, payload: encode(m) });

/** RFC 1071: the one's complement sum over a correct header (with its checksum) is 0xffff. */
function sumOk(b: Buffer): boolean {
  let s = 0;
  for (let i = 0; i + 1 < b.length; i += 2) s += b.readUInt16BE(i);
  if (b.length % 2) s += b[b.length - 1] << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s === 0xffff;
}

describe('DHCP message codec', () => {
  it('decodes what it encodes, padded to the BOOTP minimum of 300 bytes', () => {
    const bytes = encode(discover);
    expect(bytes.length).toBe(encodingLength(discover));
    expect(bytes.length).toBe(300);
    const d = decode(bytes);
    expect(d.ok && d.value).toEqual(discover);
  });

  it('writes classless static routes as RFC 3442 section 4 shows: width, significant octets, router', () => {
    const offer = answerDhcp(clientFrame(discover), lease);
    if (offer.kind !== 'reply') throw new Error(offer.reason);
    const bytes = encode(offer.message);
    const at = bytes.indexOf(Buffer.from([OPT_CLASSLESS_ROUTES]), 240);
    // 16 + 172.31 + 10.9.0.254 (7 bytes), 0 + (no octets) + 10.9.0.1 (5 bytes)
    expect([...bytes.subarray(at, at + 14)]).toEqual([121, 12, 16, 172, 31, 10, 9, 0, 254, 0, 10, 9, 0, 1]);
  });

  it('offers on DISCOVER, acks a REQUEST for the port\'s address, naks one for another, with valid IP and UDP checksums', () => {
    const offer = answerDhcp(clientFrame(discover), lease);
    expect(offer.kind === 'reply' && offer.messageType).toBe(DHCPOFFER);
    if (offer.kind !== 'reply') return;
    expect(offer.message.yiaddr).toBe(lease.ip);
    expect(sumOk(offer.frame.subarray(14, 34))).toBe(true);
    const udp = offer.frame.subarray(34);
    const pseudo = Buffer.concat([offer.frame.subarray(26, 34), Buffer.from([0, 17]), Buffer.from([udp.length >> 8, udp.length & 0xff])]);
    expect(sumOk(Buffer.concat([pseudo, udp]))).toBe(true);
    const parsed = parseUdpFrame(offer.frame);
    expect(parsed.ok && parsed.value.dstPort).toBe(68);
    const request = (ip: string) => clientFrame({ ...discover, options: { messageType: DHCPREQUEST, requestedIp: ip, serverId: lease.serverId } });
    const ack = answerDhcp(request(lease.ip), lease);
    expect(ack.kind === 'reply' && ack.messageType).toBe(DHCPACK);
    const nak = answerDhcp(request('10.9.0.99'), lease);
    expect(nak.kind === 'reply' && nak.messageType).toBe(DHCPNAK);
    // a REQUEST to another server is not ours to answer
    expect(answerDhcp(clientFrame({ ...discover, options: { messageType: DHCPREQUEST, serverId: '10.9.0.2' } }), lease).kind).toBe('silent');
  });

  it('stays silent without a lease or for another MAC', () => {
    expect(answerDhcp(clientFrame(discover), undefined).kind).toBe('silent');
    expect(answerDhcp(clientFrame({ ...discover, chaddr: '02:00:00:00:66:66' }), lease).kind).toBe('silent');
  });

  it('never throws on random bytes: a value or a typed error', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (arr) => {
      const b = Buffer.from(arr);
      const d = decode(b);
      expect(typeof d.ok).toBe('boolean');
      const f = parseUdpFrame(b);
      expect(typeof f.ok).toBe('boolean');
      expect(['reply', 'silent']).toContain(answerDhcp(b, lease).kind);
    }), { numRuns: 2000 });
    // and random option bytes after a valid fixed part
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (arr) => {
      const b = Buffer.concat([encode(discover).subarray(0, 240), Buffer.from(arr)]);
      expect(typeof decode(b).ok).toBe('boolean');
    }), { numRuns: 2000 });
  });
});
