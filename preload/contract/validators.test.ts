import { describe, expect, it } from 'vitest'
import {
  addressSchema,
  attoToFil,
  deadlineIndexSchema,
  filAmountSchema,
  jobIdSchema,
  messageCidSchema,
  parseSectorNumber,
  peerIdSchema,
  portSchema,
  processFlagSchema,
  sectorNumberSchema,
  sshAliasSchema
} from './validators'

const HOSTILE = [
  '; rm -rf /', '$(id)', '`id`', '1;id', '1 2', '-1', '--really-do-it', '../../etc/passwd', '1e3', '0x10', '１２',
  '99999999999999999999', '', ' 1', '1\n', 'NaN', 'Infinity', '\u202e1', "1'", '"1"', '*'
]

describe('sector numbers', () => {
  it('accepts plain digits', () => {
    expect(parseSectorNumber('0')).toBe(0)
    expect(parseSectorNumber(1024)).toBe(1024)
    expect(sectorNumberSchema.parse('9007199254740991')).toBe(9007199254740991)
  })
  it.each(HOSTILE)('rejects %j', (v) => {
    expect(sectorNumberSchema.safeParse(v).success).toBe(false)
  })
  it('rejects non-integers and huge numbers', () => {
    expect(sectorNumberSchema.safeParse(1.5).success).toBe(false)
    expect(sectorNumberSchema.safeParse(2 ** 60).success).toBe(false)
    expect(sectorNumberSchema.safeParse(-3).success).toBe(false)
  })
})

describe('other inputs', () => {
  it('job ids', () => {
    expect(jobIdSchema.parse('76081BA0')).toBe('76081ba0')
    expect(jobIdSchema.safeParse('76081ba0-61bd-45a5-bc08-af05f1c26e5d').success).toBe(true)
    for (const v of ['7608', 'zzzzzzzz', '76081ba0; id', '$(id)aaaaaaaa']) expect(jobIdSchema.safeParse(v).success).toBe(false)
  })
  it('ports', () => {
    expect(portSchema.parse('3456')).toBe(3456)
    expect(portSchema.parse(2345)).toBe(2345)
    for (const v of ['0', '65536', '1.5', 'x', '-1', '', ' 80', '0x50', '8e1', true, null, [], 80.5]) expect(portSchema.safeParse(v).success).toBe(false)
  })
  it('deadline indexes', () => {
    expect(deadlineIndexSchema.parse('0')).toBe(0)
    expect(deadlineIndexSchema.parse(47)).toBe(47)
    for (const v of ['', '48', '-1', '1e1', ' 3', true, null, [], 1.5, '00']) expect(deadlineIndexSchema.safeParse(v).success).toBe(false)
  })
  it('ssh aliases', () => {
    for (const v of ['site-1', 'pc1.example.com', 'root@10.0.0.5', 'w_2']) expect(sshAliasSchema.safeParse(v).success).toBe(true)
    for (const v of ['-oProxyCommand=id', '', 'a b', '$(id)', '`id`', 'a;b', "a'b", '../x', '/etc/passwd', '~/x', '*', 'a*', 'é', 'a\0b']) expect(sshAliasSchema.safeParse(v).success).toBe(false)
  })
  it('process flags', () => {
    for (const v of ['PC1:1', 'lotus-worker', 'name=pc1', 'C2']) expect(processFlagSchema.safeParse(v).success).toBe(true)
    for (const v of ['-9', '--really-do-it', '--name=pc1', 'a b', '$(id)', 'x;y', 'a|b', '', '*', "'", '/etc/passwd', '../x']) expect(processFlagSchema.safeParse(v).success).toBe(false)
  })
  it('peer ids', () => {
    expect(peerIdSchema.safeParse('12D3KooWGzxzKZYveHXtpG6AsrUJBcWxHBFS2HsEoGTxrMLvKXtf').success).toBe(true)
    expect(peerIdSchema.safeParse('12D3KooW; id').success).toBe(false)
  })
  it('addresses', () => {
    for (const v of ['f01234', 't01000', 'f1abjxfbp274xpdqcpuaykwkfb43omjotacm2p3za', 'f410fabjxfbp274xpdqcpuaykwkfb43omjotacm2p3za']) {
      expect(addressSchema.safeParse(v).success).toBe(true)
    }
    for (const v of ['f0', 'f0-1', 'x01234', 'f1ABC', 'f01234;id']) expect(addressSchema.safeParse(v).success).toBe(false)
  })
  it('message cids', () => {
    expect(messageCidSchema.safeParse('bafy2bzacea3wsdh6y3a36tb3skempjoxqpuyompjbmfeyf34fi3uy6uue42v4').success).toBe(true)
    expect(messageCidSchema.safeParse('bafy2bzace;id').success).toBe(false)
  })
  it('fee limits', () => {
    expect(filAmountSchema.safeParse('1').success).toBe(true)
    expect(filAmountSchema.safeParse('0.5').success).toBe(true)
    for (const v of ['0', '11', '1e18', '-1', '1.0000000000000000001', '1000000000000000000']) expect(filAmountSchema.safeParse(v).success).toBe(false)
  })
  it('converts the runbook --max-fee attoFIL to FIL', () => {
    expect(attoToFil('1000000000000000000')).toBe('1')
    expect(attoToFil('500000000000000000')).toBe('0.5')
    expect(attoToFil('1')).toBe('0.000000000000000001')
  })
})
