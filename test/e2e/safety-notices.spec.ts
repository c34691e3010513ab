import type { HostKeyPrompt, MutationOutcome } from '../../preload/contract'
import type { RestartRun } from '../../preload/contract/restart'
import { emitEvent } from '../support/e2e/fixtureHost'
import { expect, fullShot, test } from '../support/e2e/test'

/**
 * What the window says when trust or durability is in question, in both languages: a settings
 * file kept aside, a host presenting a key of a new type, host-key checking turned off in the
 * SSH config, an action that ran but could not be audited, and restart state that could not be
 * saved. The screenshots are for a person to look at; the assertions check what each says.
 */

const BAD = '/home/ops/.minerdesk/settings.json.bad-2026-05-04T03-02-01-000Z'
const OLD_FP = 'SHA256:Ux1vN2cQk8Kq6h0c6Zc9b0vQfJ3N3y0x7bJm1cB8u0E'

function restartRun(now: number): RestartRun {
  const step = (id: RestartRun['steps'][number]['id'], status: RestartRun['steps'][number]['status'], offsetSec: number) => ({
    id,
    status,
    commands: [],
    observations: [],
    excerpts: [],
    ...(status !== 'pending' ? { startedAt: now - offsetSec * 1000 } : {}),
    ...(status === 'ok' ? { endedAt: now - (offsetSec - 5) * 1000 } : {})
  })
  return {
    id: '6f1d2c3b-0000-4000-8000-000000000001',
    siteId: 'sh-01',
    alias: 'sh-01',
    via: 'electron',
    operator: 'ops',
    createdAt: now - 60_000,
    updatedAt: now - 2000,
    phase: 'running',
    mode: 'auto',
    current: 'startDaemon',
    steps: [step('precheck', 'ok', 60), step('stopMiner', 'ok', 50), step('stopDaemon', 'ok', 40), step('startDaemon', 'running', 30), step('startMiner', 'pending', 0), step('postcheck', 'pending', 0)],
    precheck: null,
    options: {},
    repos: { daemon: '/home/ops/.lotus', miner: '/home/ops/.lotusminer', home: '/home/ops' },
    before: null,
    decision: null,
    interruptions: [],
    owner: { pid: 4242, hostname: 'ops-laptop', via: 'electron' },
    stateNotSaved: { at: now - 2000, file: '/home/ops/.minerdesk/wizard/runs/6f1d2c3b-0000-4000-8000-000000000001.json', error: 'could not write /home/ops/.minerdesk/wizard/runs/6f1d2c3b-0000-4000-8000-000000000001.json: no space left on the device' }
  }
}

const unaudited: MutationOutcome = {
  id: '00000000-0000-4000-8000-00000000ab07',
  site: 'sh-01',
  action: 'job.abort',
  ok: true,
  steps: [
    {
      step: { kind: 'api', host: 'sh-01', text: 'Filecoin.SealingAbort [{"Sector":{"Miner":1234567,"Number":10190},"ID":"7a3b9c1d-0000-4000-8000-000000000000"}]' },
      status: 'ok',
      unaudited: true
    }
  ],
  auditFailure: { step: 0, error: { code: 'audit/write-failed', message: 'the audit log /home/ops/.minerdesk/audit.log could not be written: no space left on the device' } }
}

for (const language of ['zh-CN', 'en'] as const) {
  const en = language === 'en'
  test.describe(language, () => {
    test('a settings file that could not be used is reported with the path of the kept copy', async ({ openApp, overview, page }) => {
      await openApp({ language, tweak: (d) => (d.appInfo.settingsProblem = { file: '/home/ops/.minerdesk/settings.json', movedTo: BAD, reason: 'not JSON: Unexpected end of JSON input' }) })
      await overview.waitLoaded()
      const banner = page.getByTestId('settings-problem')
      await expect(banner).toContainText(en ? 'Your settings file could not be used' : '设置文件无法使用')
      await expect(page.getByTestId('settings-problem-path')).toHaveText(BAD)
      await expect(banner).toContainText(`mv '${BAD}' '/home/ops/.minerdesk/settings.json'`)
      await fullShot(page, `settings-problem-${language}`)
    })

    test('a host presenting a key of a new type is said to be that, with the key already known', async ({ openApp, overview, prompts, page }) => {
      await openApp({ language })
      await overview.waitLoaded()
      const prompt: HostKeyPrompt = {
        promptId: '9c1e7c1e-7d0a-4a39-9d2b-6f1e1f9a2c11',
        siteId: 'sh-02',
        alias: 'sh-02',
        key: {
          host: '10.10.2.2',
          port: 22,
          keyType: 'ecdsa-sha2-nistp256',
          fingerprint: 'SHA256:q2n0Q1kJ7m5Zt3d9cR0aB4vX8yW6uE2iO1pL7kJ3h5g',
          knownHostsFile: '/home/ops/.ssh/known_hosts',
          otherKnownKeys: [{ keyType: 'ssh-ed25519', fingerprint: OLD_FP, file: '/home/ops/.ssh/known_hosts', line: 12 }]
        }
      }
      await emitEvent(page, 'ssh:hostKeyPrompt', prompt)
      await expect(prompts.hostKey).toBeVisible()
      const warn = page.getByTestId('hostkey-new-type')
      await expect(warn).toContainText('ecdsa-sha2-nistp256')
      await expect(page.getByTestId('hostkey-known-fingerprint')).toHaveText(OLD_FP)
      await expect(warn).toContainText('ssh-ed25519')
      await expect(warn).toContainText(en ? 'line 12' : '第 12 行')
      await fullShot(page, `hostkey-new-type-${language}`)
    })

    test('StrictHostKeyChecking no is a lasting warning on the site', async ({ openApp, site, page }) => {
      await openApp({
        language,
        hash: '#/site/sh-01/chain',
        tweak: (d) => {
          const c = d.connections.find((x) => x.siteId === 'sh-01')!
          c.hostKeyCheckingOff = ['sh-01']
        }
      })
      await site.waitFor('sh-01')
      await expect(page.getByTestId('site-hostkey-off')).toHaveText(en ? 'host keys unchecked' : '未校验主机密钥')
      await expect(page.getByTestId('site-hostkey-off-warning')).toContainText('StrictHostKeyChecking no')
      await expect(page.getByTestId('site-hostkey-off-warning')).toContainText('accept-new')
      await fullShot(page, `site-hostkey-off-${language}`)
    })

    test('an action that ran but could not be audited says so, and not to run it again', async ({ openApp, site, page }) => {
      await openApp({ language, hash: '#/site/sh-01/jobs', tweak: (d) => (d.opOutcome = unaudited) })
      await site.waitFor('sh-01')
      await page.getByTestId('job-abort').first().click()
      await page.getByTestId('mutation-run').click()
      const warn = page.getByTestId('mutation-unaudited')
      await expect(warn).toContainText(en ? 'It ran, but the audit log could not record it' : '已经执行，但审计日志没能记录')
      await expect(warn).toContainText(en ? 'Do not run it again' : '不要再执行一次')
      await expect(warn).toContainText('no space left on the device')
      await fullShot(page, `mutation-unaudited-${language}`)
    })

    test('restart state that could not be saved is shown on the restart', async ({ openApp, site, page }) => {
      await openApp({ language, hash: '#/site/sh-01/restart', tweak: (d) => (d.restartRun = restartRun(Date.now())) })
      await site.waitFor('sh-01')
      const warn = page.getByTestId('wizard-state-not-saved')
      await expect(warn).toContainText(en ? 'The restart state could not be saved' : '重启状态无法保存')
      await expect(warn).toContainText('no space left on the device')
      await fullShot(page, `restart-state-not-saved-${language}`)
    })
  })
}
