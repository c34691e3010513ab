import { execFileSync } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSshd, type TestSshd } from '../support/sshd'

describe('test sshd harness', () => {
  let s: TestSshd
  beforeAll(async () => {
    s = await startTestSshd()
  })
  afterAll(async () => {
    await s?.stop()
  })

  it('accepts OpenSSH client logins through the generated ssh_config', () => {
    const out = execFileSync('ssh', ['-F', s.sshConfigPath, '-o', 'BatchMode=yes', s.alias, 'echo', 'hello'], { encoding: 'utf8' })
    expect(out.trim()).toBe('hello')
  })
})
