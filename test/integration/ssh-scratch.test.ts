import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { Client } from 'ssh2'
import { it } from 'vitest'
import { startTestSshd } from '../support/sshd'

it('scratch', async () => {
  const s = await startTestSshd()
  const c = new Client()
  await new Promise<void>((res, rej) => {
    c.on('ready', () => res()).on('error', rej)
    c.connect({ host: s.host, port: s.port, username: s.user.name, privateKey: readFileSync(s.clientKeyPath) })
  })
  c.exec('sleep 3', () => {})
  await new Promise((r) => setTimeout(r, 300))
  console.log('listener', s.sshd.pid)
  console.log(execFileSync('ps', ['-eo', 'pid,ppid,pgid,sid,stat,cmd'], { encoding: 'utf8' }).split('\n').filter((l) => /sshd|sleep/.test(l)).join('\n'))
  c.end()
  await s.stop()
})
