import { describe, expect, it } from 'vitest'
import { parseApiAddress, parseApiInfo, parseApiInfoMulti, parseMultiaddr, parseRepoApiFile, parseRepoTokenFile } from './apiInfo'

describe('parseApiInfo (the table of Lotus cli/util/apiinfo_test.go)', () => {
  const cases: Array<[string, string, string | null, string]> = [
    ['jwt token + multiaddr', 'eyJhbG.eyJBbGxvdy.qpZpDnaPmjz:/ip4/127.0.0.1/tcp/1234', 'eyJhbG.eyJBbGxvdy.qpZpDnaPmjz', '/ip4/127.0.0.1/tcp/1234'],
    ['jwt token + multiaddr with /http', 'eyJhbG.eyJBbGxvdy.qpZpDnaPmjz:/ip4/127.0.0.1/tcp/1234/http', 'eyJhbG.eyJBbGxvdy.qpZpDnaPmjz', '/ip4/127.0.0.1/tcp/1234/http'],
    ['opaque token + dns multiaddr with /wss', 'opaque-api-key:/dns/host/tcp/443/wss', 'opaque-api-key', '/dns/host/tcp/443/wss'],
    ['opaque token + wss URL', 'opaque-api-key:wss://host', 'opaque-api-key', 'wss://host'],
    ['opaque token + https URL (Glif-style)', 'GLIFAPIKEY:https://api.node.glif.io/rpc/v1', 'GLIFAPIKEY', 'https://api.node.glif.io/rpc/v1'],
    ['token + ipv6 multiaddr', 'tok:/ip6/::1/tcp/1234', 'tok', '/ip6/::1/tcp/1234'],
    ['bare multiaddr', '/ip4/127.0.0.1/tcp/1234', null, '/ip4/127.0.0.1/tcp/1234'],
    ['bare ipv6 multiaddr with shorthand', '/ip6/::1/tcp/1234', null, '/ip6/::1/tcp/1234'],
    ['bare ipv6 multiaddr with full form', '/ip6/2001:db8::1/tcp/1234', null, '/ip6/2001:db8::1/tcp/1234'],
    ['bare wss URL', 'wss://host', null, 'wss://host'],
    ['bare ws URL with port and path', 'ws://host:1234/rpc/v1', null, 'ws://host:1234/rpc/v1'],
    ['bare https URL', 'https://api.node.glif.io/rpc/v1', null, 'https://api.node.glif.io/rpc/v1'],
    ['URL with userinfo treated as bare URL', 'http://user:pass@host:1234/path', null, 'http://user:pass@host:1234/path'],
    ['empty string', '', null, '']
  ]
  it.each(cases)('%s', (_name, input, token, addr) => {
    expect(parseApiInfo(input)).toEqual({ token, addr })
  })

  it('splits comma-separated lists, keeping empty entries as Lotus does', () => {
    expect(parseApiInfoMulti('a:/ip4/10.0.0.1/tcp/1234/http,b:/ip4/10.0.0.2/tcp/1234/http')).toEqual([
      { token: 'a', addr: '/ip4/10.0.0.1/tcp/1234/http' },
      { token: 'b', addr: '/ip4/10.0.0.2/tcp/1234/http' }
    ])
    expect(parseApiInfoMulti('a:/ip4/1.2.3.4/tcp/1,')).toHaveLength(2)
  })
})

describe('API addresses', () => {
  it('reads multiaddrs with the transports Lotus writes', () => {
    expect(parseMultiaddr('/ip4/127.0.0.1/tcp/1234/http')).toEqual({ host: '127.0.0.1', port: 1234, tls: false, basePath: '' })
    expect(parseMultiaddr('/ip4/127.0.0.1/tcp/2345/ws')).toMatchObject({ port: 2345, tls: false })
    expect(parseMultiaddr('/dns4/host.example/tcp/443/wss')).toEqual({ host: 'host.example', port: 443, tls: true, basePath: '' })
    expect(parseMultiaddr('/dns4/host.example/tcp/443/tls/ws')).toMatchObject({ tls: true })
    expect(parseMultiaddr('/ip6/::1/tcp/1234')).toMatchObject({ host: '::1', port: 1234 })
    // Lotus's switch only knows /wss and /tls; /https keeps ws:// (plain) like DialArgs.
    expect(parseMultiaddr('/ip4/10.1.1.1/tcp/1234/https')).toMatchObject({ tls: false })
  })

  it('dials a wildcard listen address on the remote loopback', () => {
    expect(parseMultiaddr('/ip4/0.0.0.0/tcp/1234/http').host).toBe('127.0.0.1')
    expect(parseMultiaddr('/ip6/::/tcp/1234/http').host).toBe('::1')
  })

  it('refuses what cannot be dialled', () => {
    expect(() => parseMultiaddr('/ip4/127.0.0.1/udp/1234')).toThrow(/tcp/)
    expect(() => parseMultiaddr('/ip4/300.0.0.1/tcp/1234')).toThrow(/IPv4/)
    expect(() => parseMultiaddr('/ip4/127.0.0.1/tcp/99999')).toThrow(/range/)
    expect(() => parseMultiaddr('/unix/run/lotus.sock')).toThrow(/unix/)
    expect(() => parseMultiaddr('/ip4/127.0.0.1/tcp/1234/quic')).toThrow(/quic/)
  })

  it('reads URL forms as DialArgs does (path prefix kept, /rpc/vN refused)', () => {
    expect(parseApiAddress('http://host:1234')).toEqual({ host: 'host', port: 1234, tls: false, basePath: '' })
    expect(parseApiAddress('https://api.node.glif.io/')).toEqual({ host: 'api.node.glif.io', port: 443, tls: true, basePath: '' })
    expect(parseApiAddress('https://node.glif.io/space06/lotus')).toMatchObject({ basePath: '/space06/lotus', tls: true })
    expect(parseApiAddress('wss://host.example')).toMatchObject({ port: 443, tls: true })
    expect(parseApiAddress('http://[::1]:1234')).toMatchObject({ host: '::1', port: 1234 })
    expect(() => parseApiAddress('https://api.node.glif.io/rpc/v1')).toThrow(/remove it/)
    expect(() => parseApiAddress('ws://host:1234/rpc/v0/')).toThrow(/rpc\/v0/)
    expect(() => parseApiAddress('ftp://host')).toThrow(/scheme/)
  })

  it('reads repo files with whitespace trimmed', () => {
    expect(parseRepoApiFile('/ip4/127.0.0.1/tcp/2345/http\n')).toMatchObject({ host: '127.0.0.1', port: 2345 })
    expect(() => parseRepoApiFile('  \n')).toThrow(/empty/)
    expect(parseRepoTokenFile('eyJ.a.b\n')).toBe('eyJ.a.b')
    expect(parseRepoTokenFile('\n')).toBeNull()
  })
})
