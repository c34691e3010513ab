import type { ConnectionInfo, HostKeyPrompt, PassphrasePrompt } from '../../preload/contract'
import { emitEvent, fixtureCalls, pushSnapshot } from '../support/e2e/fixtureHost'
import { expect, fullShot, test } from '../support/e2e/test'

/** The renderer against the fixture host: what each screen says and what it asks the main side to do. */

test.describe('overview', () => {
  test('shows every site with health, SSH state, numbers and findings', async ({ openApp, overview }) => {
    await openApp()
    await expect(overview.cards()).toHaveCount(3)
    expect(await overview.health('sh-01')).toBe('critical')
    expect(await overview.health('sh-02')).toBe('ok')
    expect(await overview.health('bj-01')).toBe('critical')
    expect(await overview.connectionState('bj-01')).toBe('unreachable')
    await expect(overview.metric('sh-01', 'actor')).toHaveText('f01234567')
    await expect(overview.metric('sh-01', 'jobs-overdue')).toContainText('1')
    await expect(overview.metric('sh-01', 'workers-missing')).toContainText('1')
    await expect(overview.metric('sh-01', 'faults')).toContainText('2')
    // Findings are translated from `findings.<kind>.<variant>.title` with their params.
    await expect(overview.findingsOfKind('stage-overdue', 'sh-01')).toContainText('扇区 10231 在 sh01-w01 上的 PreCommit1：已 9h12m，预计 4h')
    await expect(overview.findingsOfKind('site-unreachable')).toContainText('北京一号')
    await expect(overview.card('sh-01').getByTestId('site-card-findings-critical')).toHaveText('3 严重')
    // The unreachable site says what to do and how to try by hand.
    await expect(overview.advice('bj-01')).toContainText('VPN')
    await expect(overview.adviceCommand('bj-01')).toHaveText('ssh bj-01')
    await expect(overview.advice('bj-01').getByTestId('advice-detail')).toHaveText('connect ETIMEDOUT 10.8.0.21:22')
  })

  test('names the SSH config in the advice when one is set', async ({ openApp, overview }) => {
    await openApp({ tweak: (d) => (d.settings.sshConfigPath = '/tmp/s/ssh_config') })
    await expect(overview.adviceCommand('bj-01')).toHaveText('ssh -F /tmp/s/ssh_config bj-01')
  })

  test('refresh-all asks main to poll every site and live snapshots update the card', async ({ openApp, overview, page }) => {
    const data = await openApp()
    await overview.refreshAll.click()
    await expect.poll(async () => (await fixtureCalls(page, 'overview:refresh')).map((c) => c.args)).toEqual([[null]])
    const snap = structuredClone(data.snapshots[1]!)
    snap.daemon.peers = 4
    snap.takenAt = Date.now()
    await pushSnapshot(page, snap)
    await expect(overview.metric('sh-02', 'peers')).toContainText('4')
  })

  test('an SSH state change reaches the card and the sidebar at once', async ({ openApp, overview, sidebar, page }) => {
    await openApp()
    const info: ConnectionInfo = { siteId: 'sh-02', state: 'auth-failed', since: Date.now(), detail: 'All configured authentication methods failed' }
    await emitEvent(page, 'ssh:connection', info)
    expect(await overview.connectionState('sh-02')).toBe('auth-failed')
    await expect.poll(() => sidebar.connectionState('sh-02')).toBe('auth-failed')
    await expect(overview.advice('sh-02')).toContainText('IdentityFile')
    expect(await overview.health('sh-02')).toBe('critical')
  })

  test('errors are shown translated with what to do', async ({ openApp, overview, page }) => {
    await openApp()
    await page.evaluate(() =>
      (globalThis as unknown as { __fixture: { fail(c: string, e: unknown): void } }).__fixture.fail('overview:refresh', {
        code: 'lotus/daemon-down',
        message: 'dial tcp 127.0.0.1:1234: connect: connection refused'
      })
    )
    await overview.refreshAll.click()
    const note = page.getByTestId('error-notification')
    await expect(note).toHaveAttribute('data-error-code', 'lotus/daemon-down')
    await expect(page.locator('.ant-notification')).toContainText('lotus daemon 未运行')
    await expect(note).toContainText('nohup lotus daemon >> daemon.log &')
    await expect(note).toContainText('connection refused')
  })

  test('table rows are 32 px', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/proving' })
    const box = await site.deadlineRows().nth(3).boundingBox()
    expect(box?.height).toBe(32)
  })
})

test.describe('site page', () => {
  test('daemon, miner and local messages', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/chain' })
    await site.waitFor('sh-01')
    await expect(site.name).toHaveText('上海一号')
    await expect(site.daemonPanel.getByTestId('daemon-behind')).toContainText('已同步')
    await expect(site.minerPanel.getByTestId('miner-actor')).toHaveText('f01234567')
    await expect(site.messagesTable.locator('tbody tr.ant-table-row')).toHaveCount(2)
    // The stuck one is the main side's message-stuck alert subject, and it is said in words.
    await expect(site.messagesTable.getByTestId('message-stuck')).toHaveCount(1)
    await expect(site.messagesTable).toContainText('28 PreCommitSectorBatch2')
  })

  test('pipeline grouped by Lotus states', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/pipeline' })
    await expect(site.pipelineGroup('failed').locator('[data-state="ComputeProofFailed"]')).toContainText('1')
    await expect(site.pipelineGroup('sealing').locator('[data-state]').first()).toHaveAttribute('data-state', 'Packing')
    await expect(site.pipelineGroup('proving')).toContainText('10,234')
  })

  test('jobs matrix filters the job list; overdue jobs are marked', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/jobs' })
    await expect(site.jobRows()).toHaveCount(14)
    await expect(site.overdueJobs()).toHaveCount(1)
    await expect(site.overdueJobs()).toContainText('10231')
    await site.matrixRow('AP').click()
    await expect(site.jobRows()).toHaveCount(3)
    await expect(site.jobsTable).toContainText('assigned(2)')
    await site.page.getByTestId('jobs-clear-filter').click()
    await expect(site.jobRows()).toHaveCount(14)
  })

  test('workers: the missing one first, with words', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/workers' })
    await expect(site.workerRows()).toHaveCount(6)
    await expect(site.workerRows().first()).toHaveAttribute('data-missing', 'true')
    await expect(site.workerRows().first()).toContainText('失联')
  })

  test('48 deadlines with the current one highlighted', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/sh-01/proving' })
    await expect(site.deadlineRows()).toHaveCount(48)
    await expect(site.currentDeadline()).toHaveAttribute('data-index', '16')
    await expect(site.currentDeadline()).toContainText('当前')
  })

  test('a deadline with faults lists its faulty sectors, each linked to its page', async ({ openApp, site, page }) => {
    await openApp({ hash: '#/site/sh-01/proving' })
    const faults = site.deadlinesTable.getByTestId('deadline-faults')
    await expect(faults).toHaveCount(1)
    await expect(faults).toContainText('分区 0')
    await expect(faults).toContainText('2 个错误')
    const links = faults.getByTestId('deadline-sector-link')
    await expect(links).toHaveText(['7742', '7743'])
    await links.first().click()
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/site/sh-01/sectors/7742')
  })

  test('an unreachable site says so and what to do', async ({ openApp, site }) => {
    await openApp({ hash: '#/site/bj-01/chain' })
    await expect(site.advice).toHaveAttribute('data-state', 'unreachable')
    await expect(site.page.getByTestId('daemon-error')).toHaveAttribute('data-error-code', 'ssh/unreachable')
    await site.openTab('jobs')
    await expect(site.page.getByTestId('jobs-unavailable')).toBeVisible()
  })

  test('refresh asks for this site only', async ({ openApp, site, page }) => {
    await openApp({ hash: '#/site/sh-02/chain' })
    await site.refresh.click()
    await expect.poll(async () => (await fixtureCalls(page, 'overview:refresh')).map((c) => c.args)).toEqual([['sh-02']])
  })
})

test.describe('navigation', () => {
  test('sidebar groups sites in order, with health and SSH state', async ({ openApp, sidebar }) => {
    await openApp()
    expect(await sidebar.siteIds()).toEqual(['sh-01', 'sh-02', 'bj-01'])
    await expect(sidebar.group('上海')).toContainText('上海二号')
    expect(await sidebar.health('bj-01')).toBe('critical')
    expect(await sidebar.connectionState('bj-01')).toBe('unreachable')
    await sidebar.openSite('sh-02')
    await expect(sidebar.site('sh-02')).toHaveAttribute('aria-current', 'page')
  })

  test('keyboard: Ctrl+digit, Alt+arrows, g o, and the help', async ({ openApp, app, site, overview, sidebar, page }) => {
    await openApp()
    await app.pressShortcut('Control+2')
    await site.waitFor('sh-02')
    await app.pressShortcut('Alt+ArrowDown')
    await site.waitFor('bj-01')
    await app.pressShortcut('Alt+ArrowDown')
    await site.waitFor('sh-01')
    await app.pressShortcut('Alt+ArrowUp')
    await site.waitFor('bj-01')
    await app.pressShortcut('g o')
    await overview.waitLoaded()
    await app.pressShortcut('Shift+?')
    await expect(sidebar.shortcutsHelp).toBeVisible()
    await expect(sidebar.shortcutsHelp).toContainText('切换到第 1…9 个站点')
    await fullShot(page, 'shortcuts-zh-CN-light')
  })

  test('the tab is kept when switching sites', async ({ openApp, site, sidebar }) => {
    await openApp({ hash: '#/site/sh-01/proving' })
    await sidebar.openSite('sh-02')
    await site.waitFor('sh-02')
    await expect(site.deadlinesTable).toBeVisible()
  })
})

test.describe('settings', () => {
  test('add a site from the SSH config', async ({ openApp, settings, sidebar, page }) => {
    await openApp({ hash: '#/settings/sites' })
    await settings.addSite('gz-01', '广州一号', '广州')
    const calls = await fixtureCalls(page, 'sites:add')
    expect(calls.map((c) => c.args)).toEqual([[{ alias: 'gz-01', name: '广州一号', group: '广州' }]])
    await expect(settings.row('gz-01')).toContainText('广州一号')
    await expect(sidebar.site('gz-01')).toBeVisible()
  })

  test('aliases already added cannot be added twice', async ({ openApp, settings, page }) => {
    await openApp({ hash: '#/settings/sites' })
    await settings.addButton.click()
    await settings.addModal.getByTestId('add-site-alias').click()
    await expect(page.getByTestId('ssh-config-path')).toHaveText('/home/ops/.ssh/config')
    await expect(page.locator('.ant-select-item-option-disabled', { has: page.getByTestId('alias-option-sh-01') })).toHaveCount(1)
    await fullShot(page, 'add-site-zh-CN-light')
  })

  test('order, edit and remove', async ({ openApp, settings, sidebar, page }) => {
    await openApp({ hash: '#/settings/sites' })
    await settings.move('sh-01', 'down')
    await expect.poll(() => settings.siteOrder()).toEqual(['sh-02', 'sh-01', 'bj-01'])
    expect((await fixtureCalls(page, 'sites:reorder')).map((c) => c.args)).toEqual([[['sh-02', 'sh-01', 'bj-01']]])

    await settings.editSite('sh-01')
    await expect(settings.duration('PC1')).toHaveValue('4h')
    await expect(settings.siteForm).toContainText('运行手册：3h10m')
    await settings.duration('PC1').fill('3h30m')
    await settings.duration('C2').fill('20m')
    await fullShot(page, 'site-settings-zh-CN-light')
    await settings.saveSite()
    const update = (await fixtureCalls(page, 'sites:update'))[0]
    expect(update?.args[0]).toBe('sh-01')
    expect((update?.args[1] as { durations: unknown }).durations).toEqual({ PC1: 12600, C2: 1200 })

    await settings.removeSite('bj-01')
    expect((await fixtureCalls(page, 'sites:remove')).map((c) => c.args)).toEqual([['bj-01']])
    await expect(sidebar.site('bj-01')).toHaveCount(0)
  })

  test('a duration that does not parse is refused', async ({ openApp, settings, page }) => {
    await openApp({ hash: '#/settings/site/sh-01' })
    await settings.duration('AP').fill('2 minutes')
    await page.getByTestId('site-settings-save').click()
    await expect(settings.siteForm).toContainText('格式如 3h10m')
    expect(await fixtureCalls(page, 'sites:update')).toEqual([])
  })

  test('switching the language to English', async ({ openApp, settings, app, page }) => {
    await openApp({ hash: '#/settings/general' })
    await fullShot(page, 'settings-general-zh-CN-light')
    await settings.chooseLanguage('English')
    await settings.saveGeneral()
    await expect.poll(() => app.language()).toBe('en')
    await expect(page.getByTestId('nav-overview')).toHaveText('Overview')
    const update = (await fixtureCalls(page, 'settings:update'))[0]
    expect((update?.args[0] as { language: string }).language).toBe('en')
    await fullShot(page, 'settings-general-en-light')
  })
})

test.describe('exporter setting', () => {
  for (const language of ['zh-CN', 'en'] as const) {
    test(`turning the Prometheus exporter on (${language})`, async ({ openApp, settings, page }) => {
      await openApp({ language, hash: '#/settings/general' })
      await expect(page.getByTestId('exporter-status')).toContainText(language === 'en' ? 'Off' : '已关闭')
      await page.getByTestId('general-exporter-listen').fill('localhost:99999')
      await page.getByTestId('general-save').click()
      await expect(page.getByTestId('general-settings')).toContainText(language === 'en' ? 'Not HOST:PORT' : '不是“主机:端口”格式')
      expect(await fixtureCalls(page, 'settings:update')).toEqual([])
      await page.getByTestId('general-exporter-listen').fill('0.0.0.0:9720')
      await page.getByTestId('general-exporter-enabled').click()
      await settings.saveGeneral()
      const update = (await fixtureCalls(page, 'settings:update'))[0]
      expect((update?.args[0] as { exporter: unknown }).exporter).toEqual({ enabled: true, listen: '0.0.0.0:9720' })
      await expect(page.getByTestId('exporter-status')).toContainText('http://0.0.0.0:9720/metrics')
      await fullShot(page, `settings-exporter-${language}-light`)
    })
  }
})

test.describe('prompts', () => {
  const hostKey: HostKeyPrompt = {
    promptId: '5b0e7c1e-7d0a-4a39-9d2b-6f1e1f9a2c11',
    siteId: 'sh-02',
    alias: 'sh-02',
    key: { host: '10.10.2.2', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8', knownHostsFile: '/home/ops/.ssh/known_hosts' }
  }

  test('unknown host key: the operator sees the fingerprint and decides', async ({ openApp, prompts, page }) => {
    await openApp()
    await emitEvent(page, 'ssh:hostKeyPrompt', hostKey)
    await expect(prompts.hostKey).toBeVisible()
    await expect(prompts.hostKeyFingerprint).toHaveText(hostKey.key.fingerprint)
    await expect(prompts.hostKey).toContainText('10.10.2.2:22')
    await expect(prompts.hostKey).toContainText('ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub')
    await page.keyboard.press('Escape')
    await expect(prompts.hostKey).toBeVisible()
    await fullShot(page, 'hostkey-zh-CN-light')
    await prompts.acceptSave.click()
    await expect(prompts.hostKey).toBeHidden()
    expect((await fixtureCalls(page, 'ssh:answerHostKey')).map((c) => c.args)).toEqual([[hostKey.promptId, 'accept-save']])
  })

  test('a changed host key is refused, with the known_hosts line to fix', async ({ openApp, prompts, overview, page }) => {
    await openApp()
    const info: ConnectionInfo = {
      siteId: 'sh-02',
      state: 'host-key-changed',
      since: Date.now(),
      hostKey: { ...hostKey.key, port: 2222, expectedFingerprint: 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU', knownHostsLine: 14 }
    }
    await emitEvent(page, 'ssh:connection', info)
    await expect(prompts.changedKey).toBeVisible()
    await expect(prompts.changedKey).toContainText('第 14 行')
    await expect(prompts.changedKey.getByTestId('advice-command')).toHaveText(`ssh-keygen -R '[10.10.2.2]:2222' -f /home/ops/.ssh/known_hosts`)
    await fullShot(page, 'hostkey-changed-zh-CN-light')
    await prompts.acknowledgeChangedKey()
    await expect(prompts.changedKey).toBeHidden()
    // It stays visible on the card after the warning is acknowledged.
    await expect(overview.advice('sh-02')).toHaveAttribute('data-state', 'host-key-changed')
  })

  test('passphrase: retry notice, remember only when possible, weak protection warned', async ({ openApp, prompts, page }) => {
    await openApp()
    const p: PassphrasePrompt = { promptId: '0d4f6a55-3c1b-4e8e-a4c4-1f2b3c4d5e6f', siteId: 'sh-01', keyFile: '/home/ops/.ssh/id_ed25519', retry: true, canRemember: true, protection: 'weak' }
    await emitEvent(page, 'ssh:passphrasePrompt', p)
    await expect(prompts.passphrase).toBeVisible()
    await expect(prompts.passphrase).toContainText('/home/ops/.ssh/id_ed25519')
    await expect(prompts.passphraseRetry).toBeVisible()
    await expect(prompts.passphraseWeak).toBeVisible()
    await prompts.passphraseInput.fill('correct horse')
    await prompts.passphraseRemember.check()
    await fullShot(page, 'passphrase-zh-CN-light')
    await prompts.passphraseOk.click()
    await expect(prompts.passphrase).toBeHidden()
    expect((await fixtureCalls(page, 'ssh:answerPassphrase')).map((c) => c.args)).toEqual([[p.promptId, 'correct horse', true]])

    await emitEvent(page, 'ssh:passphrasePrompt', { ...p, promptId: '1d4f6a55-3c1b-4e8e-a4c4-1f2b3c4d5e6f', retry: false, canRemember: false })
    await expect(prompts.passphrase).toBeVisible()
    await expect(prompts.passphraseRemember).toHaveCount(0)
    await expect(prompts.passphraseRetry).toHaveCount(0)
    await prompts.passphraseCancel.click()
    expect((await fixtureCalls(page, 'ssh:answerPassphrase')).map((c) => c.args)[1]).toEqual(['1d4f6a55-3c1b-4e8e-a4c4-1f2b3c4d5e6f', null, false])
  })
})

test.describe('demo', () => {
  test('with no sites, the Overview offers three simulated sites and then shows them', async ({ openApp, overview, sidebar, page }) => {
    await openApp({ empty: true })
    await expect(overview.demoOffer).toBeVisible()
    await fullShot(page, 'demo-offer-zh-CN-light')
    await overview.demoStart.click()
    await expect(overview.demoProgress).toBeVisible()
    await expect(overview.cards()).toHaveCount(3, { timeout: 10_000 })
    expect(await sidebar.siteIds()).toEqual(['demo-1', 'demo-2', 'demo-3'])
    await expect(overview.demoBar).toContainText('3')
    await fullShot(page, 'demo-running-zh-CN-light')
  })
})

test.describe('audit log', () => {
  test('one row per action, newest first, translated, searched, within dates, exported', async ({ openApp, audit, page }) => {
    await openApp({ hash: '#/audit' })
    // Eight log entries: three starts joined with their ends, a refusal, a start with no end yet.
    await expect(audit.rows).toHaveCount(5)
    await expect(audit.count).toContainText('5 个操作（8 条记录）')
    const first = audit.rows.first()
    await expect(first).toContainText('nohup lotus-miner run >> miner.log')
    await expect(first.getByTestId('audit-action')).toHaveText('启动 miner')
    await expect(first.getByTestId('audit-result')).toHaveAttribute('data-result', 'started')
    const abort = audit.rows.nth(1)
    await expect(abort.getByTestId('audit-action')).toHaveText('中止任务')
    await expect(abort.getByTestId('audit-result')).toHaveAttribute('data-result', 'error')
    await expect(abort).toContainText('失败')
    await expect(abort).toContainText('job not found')
    await expect(audit.rows.nth(2).getByTestId('audit-result')).toHaveAttribute('data-result', 'refused')
    await expect(audit.rows.nth(3)).toContainText('10198: Committing → Removing')
    await fullShot(page, 'audit-zh-CN-light')

    // Search: every word, in any field, the translated action name too.
    await audit.search.fill('中止 sh-01')
    await expect(audit.rows).toHaveCount(1)
    await expect(audit.rows.first()).toContainText('job not found')
    await audit.search.fill('')
    await expect(audit.rows).toHaveCount(5)

    // Exports carry what is shown.
    const csv = await audit.exported('csv')
    expect(csv.name).toMatch(/^minerdesk-audit-\d{8}-\d{6}\.csv$/)
    const lines = csv.text.trim().split('\r\n')
    expect(lines[0]).toBe('time,ended,site,operator,via,action,command,result,detail')
    expect(lines).toHaveLength(6)
    expect(lines[2]).toContain('"job.abort"')
    const json = JSON.parse((await audit.exported('json')).text) as Array<{ action: string; entries: unknown[] }>
    expect(json.map((r) => [r.action, r.entries.length])).toEqual([['restart.start-miner', 1], ['job.abort', 2], ['job.abort', 1], ['sector.update-state', 2], ['settings.change', 2]])

    // A date range: the settings change three days ago falls outside the last two days.
    const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE')
    await audit.range(day(Date.now() - 86400_000), day(Date.now()))
    await expect(audit.rows).toHaveCount(4)
    await expect(audit.root.getByTestId('audit-action').filter({ hasText: '修改设置' })).toHaveCount(0)
  })
})

test.describe('browser notifications', () => {
  test('the browser host raises the page’s own Notification for new findings', async ({ openApp, page }) => {
    await page.addInitScript(() => {
      const shown: { title: string; body: string }[] = []
      class FakeNotification {
        static permission = 'granted'
        static requestPermission = () => Promise.resolve('granted')
        constructor(title: string, opts: { body: string }) {
          shown.push({ title, body: opts.body })
        }
      }
      Object.assign(globalThis, { Notification: FakeNotification, __shown: shown })
    })
    const data = await openApp({ host: 'web' })
    const finding = data.snapshots[0]!.findings.find((f) => f.kind === 'worker-down' && f.severity === 'critical')!
    await emitEvent(page, 'findings:new', [finding])
    await expect
      .poll(() => page.evaluate(() => (globalThis as unknown as { __shown: unknown[] }).__shown))
      .toEqual([{ title: 'MinerDesk · 上海一号 · worker sh01-w04 被禁用，仍持有 2 个任务', body: 'miner 连接不上 sh01-w04（会话检查失败）并将其禁用；它的任务（PC1，扇区 10250, 10251）不再推进。' }])
  })

  test('the desktop app leaves notifications to the main process', async ({ openApp, page }) => {
    await page.addInitScript(() => {
      const shown: string[] = []
      class FakeNotification {
        static permission = 'granted'
        constructor(title: string) {
          shown.push(title)
        }
      }
      Object.assign(globalThis, { Notification: FakeNotification, __shown: shown })
    })
    const data = await openApp({ host: 'electron' })
    await emitEvent(page, 'findings:new', [data.snapshots[0]!.findings[0]!])
    await page.waitForTimeout(300)
    expect(await page.evaluate(() => (globalThis as unknown as { __shown: unknown[] }).__shown)).toEqual([])
  })
})

test.describe('start-up', () => {
  test('a failed first load says why and can be retried', async ({ openApp, app, overview, page }) => {
    await openApp({ tweak: (d) => (d.failures['settings:get'] = { code: 'internal', message: 'settings file is corrupt', details: 'Unexpected token } in JSON at position 112' }) })
    await expect(app.bootError).toBeVisible()
    await expect(app.bootError).toContainText('MinerDesk 内部错误')
    await expect(app.bootError).toContainText('Unexpected token } in JSON at position 112')
    await page.evaluate(() => (globalThis as unknown as { __fixture: { fail(c: string, e: unknown): void } }).__fixture.fail('settings:get', null))
    await page.getByTestId('boot-retry').click()
    await expect(app.bootError).toHaveCount(0)
    await expect(overview.cards()).toHaveCount(3)
  })
})

test.describe('scale and theme', () => {
  test('a long job list is virtualised, not rendered row by row', async ({ openApp, site }) => {
    await openApp({
      hash: '#/site/sh-01/jobs',
      tweak: (d) => {
        const s = d.snapshots[0]!
        const base = s.jobs!.list[1]!
        const list = Array.from({ length: 600 }, (_, i) => ({ ...base, id: `${String(i).padStart(8, '0')}-0000-4000-8000-000000000000`, sector: 20_000 + i }))
        s.jobs = { total: list.length, byTask: { PC1: { running: list.length } }, list }
      }
    })
    await expect(site.jobsTable).toBeVisible()
    await expect(site.page.getByTestId('jobs-list-section')).toContainText('(600)')
    const rendered = await site.jobRows().count()
    expect(rendered).toBeGreaterThan(5)
    expect(rendered).toBeLessThan(100)
    await fullShot(site.page, 'jobs-virtual-zh-CN-light')
  })

  test('theme "system" follows the OS', async ({ openApp, page }) => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await openApp({ theme: 'system' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark')
    await page.emulateMedia({ colorScheme: 'light' })
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light')
  })
})
