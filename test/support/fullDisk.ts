import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { AuditLog, osOperator } from '../../electron/core/audit/auditLog'
import { mountSmallDisk } from './smallDisk'

/**
 * A MINERDESK_HOME whose disk a test fills up at the moment it chooses, for MinerDesk processes
 * (the CLI, the browser host) started with `env`:
 * - as root (CI): a small tmpfs (smallDisk.ts), filled for real; writes fail with the kernel's ENOSPC;
 * - otherwise: the same processes preloaded with fullDiskPreload.mjs, which cuts writes under the
 *   home short against a byte budget and then fails them with ENOSPC.
 * fill(slack) leaves exactly `slack` bytes writable, and only at the end of audit.log, so a test
 * can let a "started" entry in and keep the entry after it out. MD_TEST_FULL_DISK=injected
 * takes the second way even as root.
 */
export interface FullDisk {
  kind: 'tmpfs' | 'injected'
  /** Where MINERDESK_HOME goes (created). */
  home: string
  env: Record<string, string>
  fill(auditSlack?: number): Promise<void>
  free(): void
  close(): void
}

const PRELOAD = resolve(__dirname, 'fullDiskPreload.mjs')

export function createFullDisk(): FullDisk {
  // MD_TEST_FULL_DISK=injected tries the non-root way as root too.
  const disk = process.env['MD_TEST_FULL_DISK'] === 'injected' ? null : mountSmallDisk(1024)
  if (disk) {
    const home = join(disk.dir, 'home')
    mkdirSync(home, { mode: 0o700 })
    return {
      kind: 'tmpfs',
      home,
      env: {},
      async fill(slack = 0) {
        await padAuditLog(home, disk.blockSize, slack)
        disk.fill()
      },
      free: () => disk.free(),
      close: () => disk.close()
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'md-injected-disk-'))
  const home = join(dir, 'home')
  mkdirSync(home, { mode: 0o700 })
  const budgetFile = join(dir, 'budget')
  writeFileSync(budgetFile, 'unlimited')
  return {
    kind: 'injected',
    home,
    env: { NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --import ${PRELOAD}`.trim(), MD_TEST_DISK_DIR: home, MD_TEST_DISK_BUDGET_FILE: budgetFile },
    async fill(slack = 0) {
      writeFileSync(budgetFile, String(slack))
    },
    free: () => writeFileSync(budgetFile, 'unlimited'),
    close: () => rmSync(dir, { recursive: true, force: true })
  }
}

/** The length of an audit line as AuditLog writes it (with its newline); `operator` as the writer names itself. */
export function auditLineLength(entry: { site: string; operator?: string; via: string; action: string; command: string; result: string; detail?: string }): number {
  const e = { time: new Date().toISOString(), site: entry.site, operator: entry.operator ?? osOperator(), via: entry.via, action: entry.action, command: entry.command, result: entry.result, ...(entry.detail !== undefined ? { detail: entry.detail } : {}), hash: '0'.repeat(64) }
  return Buffer.byteLength(`${JSON.stringify(e)}\n`)
}

/** Appends one (chained) padding entry so that audit.log's last block has exactly `slack` bytes free. */
async function padAuditLog(home: string, block: number, slack: number): Promise<void> {
  const file = join(home, 'audit.log')
  const size = existsSync(file) ? statSync(file).size : 0
  const base = auditLineLength({ site: '-', via: 'cli', action: 'test.pad', command: '', result: 'ok' })
  let want = (((block - slack - size) % block) + block) % block
  while (want < base) want += block
  const log = new AuditLog({ home, via: 'cli' })
  await log.record({ site: '-', action: 'test.pad', command: 'x'.repeat(want - base), result: 'ok' })
  const after = statSync(file).size
  if ((after + slack) % block !== 0) throw new Error(`audit.log padding went wrong: ${after} bytes, wanted ${slack} free in a ${block}-byte block`)
}
