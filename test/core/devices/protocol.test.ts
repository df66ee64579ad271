// The protocol pieces on their own: XML by namespace, WS-Security and HTTP Digest against published vectors,
// WS-Discovery replies, ranges, and the network guard.
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { describe, expect, it, vi } from 'vitest';
import { digestAuthorization, pickDigestChallenge, usernameTokenHeader } from '../../../src/core/devices/auth.js';
import { discoverDevices } from '../../../src/core/devices/discover.js';
import { credentialSource } from '../../../src/core/devices/credentials.js';
import { safeUri, onAddress } from '../../../src/core/devices/http.js';
import { assertTarget, chooseInterfaces, hostsOf, parseCidr } from '../../../src/core/devices/network.js';
import { endpointKey, parseProbeMatches } from '../../../src/core/devices/wsdiscovery.js';
import { findFirst, kid, parseXml, textOf } from '../../../src/core/devices/xml.js';
// @ts-expect-error plain JavaScript test helper
import { datagramAllowed } from '../../helpers/network-guard.mjs';

describe('XML from devices', () => {
  it('reads by namespace and local name, whatever the prefixes', () => {
    const a = parseXml('<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://www.w3.org/2003/05/soap-envelope" xmlns:ns1="http://www.onvif.org/ver10/device/wsdl"><SOAP-ENV:Body><ns1:GetDeviceInformationResponse><ns1:SerialNumber>00123</ns1:SerialNumber></ns1:GetDeviceInformationResponse></SOAP-ENV:Body></SOAP-ENV:Envelope>');
    const b = parseXml('<s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body><GetDeviceInformationResponse xmlns="http://www.onvif.org/ver10/device/wsdl"><SerialNumber>00123</SerialNumber></GetDeviceInformationResponse></s:Body></s:Envelope>');
    for (const root of [a, b]) {
      const serial = findFirst(root, 'SerialNumber', 'http://www.onvif.org/ver10/device/wsdl');
      expect(textOf(serial)).toBe('00123'); // a string: leading zeros kept
      expect(kid(root, 'Body', 'http://www.w3.org/2003/05/soap-envelope')).toBeDefined();
    }
  });

  it('refuses a DOCTYPE (no entity expansion), bad XML, deep nesting and oversized text', () => {
    expect(() => parseXml('<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')).toThrow(/DOCTYPE/);
    expect(() => parseXml('<x><y></x>')).toThrow(/not well-formed/);
    expect(() => parseXml(`${'<a>'.repeat(100)}${'</a>'.repeat(100)}`)).toThrow(/nests deeper/);
    expect(() => parseXml(`<x>${'a'.repeat(200)}</x>`, { maxChars: 100, maxDepth: 10, maxElements: 10 })).toThrow(/larger than/);
  });
});

describe('WS-Security UsernameToken', () => {
  it('signs Base64(SHA1(nonce + created + password)) with the time it is given (the device clock)', () => {
    const deviceNow = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    const header = usernameTokenHeader({ user: 'admin', password: 'pw', origin: 'flag' }, deviceNow);
    const nonce = /<wsse:Nonce[^>]*>([^<]+)</.exec(header)![1]!;
    const created = /<wsu:Created>([^<]+)</.exec(header)![1]!;
    const digest = /#PasswordDigest">([^<]+)</.exec(header)![1]!;
    expect(created).toBe('2026-01-02T03:04:05Z');
    const expected = createHash('sha1').update(Buffer.concat([Buffer.from(nonce, 'base64'), Buffer.from(created), Buffer.from('pw')])).digest('base64');
    expect(digest).toBe(expected);
    expect(header).not.toContain('>pw<');
    expect(header).not.toContain('PasswordText');
  });
});

describe('HTTP Digest', () => {
  it('matches the SHA-256 example of RFC 7616 §3.9.1', () => {
    const challenge = pickDigestChallenge([
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=SHA-256, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
      'Digest realm="http-auth@example.org", qop="auth, auth-int", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"',
    ])!;
    expect(challenge.algorithm).toBe('SHA-256'); // the stronger one is chosen
    const header = digestAuthorization({ user: 'Mufasa', password: 'Circle of Life', origin: 'flag' }, challenge, 'GET', '/dir/index.html', 1, 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ');
    expect(header).toContain('response="753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1"');
    expect(header).not.toContain('Circle of Life');
  });

  it('matches the MD5 example of RFC 7616 §3.9.1', () => {
    const challenge = pickDigestChallenge(['Digest realm="http-auth@example.org", qop="auth", algorithm=MD5, nonce="7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v", opaque="FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS"'])!;
    const header = digestAuthorization({ user: 'Mufasa', password: 'Circle of Life', origin: 'flag' }, challenge, 'GET', '/dir/index.html', 1, 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ');
    expect(header).toContain('response="8ca523f5e9506fed4657c9700eebdbec"');
  });

  it('ignores Basic: it would send the password in clear text', () => {
    expect(pickDigestChallenge(['Basic realm="cam"'])).toBeUndefined();
  });
});

describe('WS-Discovery replies', () => {
  it('reads endpoint, types, URL-decoded scopes and XAddrs; urn:uuid: and uuid: are one endpoint', () => {
    const [m] = parseProbeMatches(
      '<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope" xmlns:w="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery"><e:Header><w:RelatesTo>urn:uuid:1</w:RelatesTo></e:Header><e:Body><d:ProbeMatches><d:ProbeMatch><w:EndpointReference><w:Address>uuid:ABC-1</w:Address></w:EndpointReference><d:Types>tds:Device</d:Types><d:Scopes>onvif://www.onvif.org/name/AXIS%20P3245 onvif://www.onvif.org/location/Gebouw%20A</d:Scopes><d:XAddrs>http://10.0.0.5/onvif/device_service http://[fe80::1]/onvif/device_service</d:XAddrs></d:ProbeMatch></d:ProbeMatches></e:Body></e:Envelope>',
    );
    expect(m).toEqual({
      urn: 'uuid:ABC-1',
      types: ['tds:Device'],
      scopes: ['onvif://www.onvif.org/name/AXIS P3245', 'onvif://www.onvif.org/location/Gebouw A'],
      xaddrs: ['http://10.0.0.5/onvif/device_service', 'http://[fe80::1]/onvif/device_service'],
      relatesTo: 'urn:uuid:1',
    });
    expect(endpointKey('urn:uuid:ABC-1')).toBe(endpointKey('uuid:abc-1'));
  });

  it('moves a service address to the address that answered, and shows URIs without credentials', () => {
    expect(onAddress('http://10.9.9.9:8080/onvif/media', '192.168.1.20')).toMatchObject({ moved: true });
    expect(onAddress('http://10.9.9.9:8080/onvif/media', '192.168.1.20')!.url.toString()).toBe('http://192.168.1.20:8080/onvif/media');
    expect(safeUri('rtsp://admin:Geheim@10.0.0.5:554/Streaming/1?transport=tcp&password=Geheim&user=admin')).toBe('rtsp://10.0.0.5:554/Streaming/1?transport=tcp');
  });
});

describe('ranges', () => {
  it('parses CIDR and lists hosts without network and broadcast addresses', () => {
    expect(hostsOf(parseCidr('127.0.1.0/30'))).toEqual(['127.0.1.1', '127.0.1.2']);
    expect(hostsOf(parseCidr('127.0.1.0/24'))).toHaveLength(254);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(/not an IPv4 range/);
  });
});

describe('the network guard (TOEZICHT_NETWORK_GUARD, set for every test)', () => {
  it('is on in tests', () => {
    expect(process.env.TOEZICHT_NETWORK_GUARD).toBeTruthy();
  });

  it('refuses a probe without an explicit interface, and any non-loopback target', () => {
    expect(() => chooseInterfaces(undefined)).toThrow(/must name its interface/);
    expect(() => chooseInterfaces('10.1.2.3', [{ name: 'eth0', address: '10.1.2.3', netmask: '255.255.255.0', range: parseCidr('10.1.2.0/24') }])).toThrow(/not on loopback/);
    expect(() => assertTarget('192.168.1.10', 'host')).toThrow(/not on loopback/);
    expect(() => assertTarget('127.0.1.10', 'host')).not.toThrow();
  });

  it('stops discovery without an interface before a single datagram exists', async () => {
    const send = vi.spyOn(dgram.Socket.prototype, 'send').mockImplementation(() => undefined);
    const bind = vi.spyOn(dgram.Socket.prototype, 'bind');
    try {
      await expect(
        discoverDevices({ multicast: true, sweeps: [], hosts: [], ports: [80], timeoutMs: 500, force: false, credentials: credentialSource({}), tryDefaults: false, now: Date.now() }),
      ).rejects.toThrow(/must name its interface/);
      expect(send).not.toHaveBeenCalled();
      expect(bind).not.toHaveBeenCalled();
    } finally {
      send.mockRestore();
      bind.mockRestore();
    }
  });

  it('the datagram guard in every test process refuses multicast without a loopback interface', async () => {
    expect(datagramAllowed('239.255.255.250', undefined)).toBe(false);
    expect(datagramAllowed('239.255.255.250', '10.0.0.5')).toBe(false);
    expect(datagramAllowed('239.255.255.250', '127.0.0.1')).toBe(true);
    expect(datagramAllowed('8.8.8.8', '127.0.0.1')).toBe(false);
    expect(datagramAllowed('127.0.1.10', undefined)).toBe(true);
    // And it is installed: a socket that never chose an interface cannot send to the group.
    // (TTL 0: should the guard ever fail, the datagram still cannot leave this host.)
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setMulticastTTL(0);
    try {
      expect(() => socket.send('probe', 3702, '239.255.255.250')).toThrow(/network guard/);
    } finally {
      socket.close();
    }
  });
});
