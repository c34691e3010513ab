import { describe, expect, it } from 'vitest'
import { knownHostsName, removeHostKeyCommand, shellWord, sshTestCommand } from './advice'

describe('operator commands', () => {
  it('quotes only when needed', () => {
    expect(shellWord('/home/op/.ssh/config')).toBe('/home/op/.ssh/config')
    expect(shellWord('/tmp/my dir/ssh config')).toBe(`'/tmp/my dir/ssh config'`)
    expect(shellWord(`it's`)).toBe(`'it'\\''s'`)
  })
  it('builds the ssh test command', () => {
    expect(sshTestCommand('sh-01', null)).toBe('ssh sh-01')
    expect(sshTestCommand('sh-01', '/tmp/s/ssh_config')).toBe('ssh -F /tmp/s/ssh_config sh-01')
  })
  it('names hosts as known_hosts does', () => {
    expect(knownHostsName('10.0.0.5', 22)).toBe('10.0.0.5')
    expect(knownHostsName('10.0.0.5', 2222)).toBe('[10.0.0.5]:2222')
    expect(removeHostKeyCommand({ host: '10.0.0.5', port: 2222, keyType: 'ssh-ed25519', fingerprint: 'SHA256:x', knownHostsFile: '/root/.ssh/known_hosts' })).toBe(
      `ssh-keygen -R '[10.0.0.5]:2222' -f /root/.ssh/known_hosts`
    )
  })
})
