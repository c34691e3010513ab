import type { Page } from '@playwright/test'
import { SECTOR_STATES, TASK_TYPES } from '../../../preload/contract/lotus'

/**
 * Checks a screen the way a reader would: English prose in a Chinese screen, and anything wider
 * than the window. Text in monospace (Lotus names, commands, ids, paths, Lotus's own output) and
 * values typed by the operator are never prose; elsewhere an English word passes only when it is
 * a Lotus name (states, tasks, programs, API names), a unit, or a proper name.
 */
const LOTUS_NAMES = [
  ...SECTOR_STATES,
  ...Object.values(TASK_TYPES),
  'UNK',
  'lotus', 'lotus-miner', 'lotus-worker', 'lotus-shed', 'daemon', 'miner', 'worker', 'Worker', 'Workers',
  'PoSt', 'WindowPoSt', 'WinningPoSt', 'WdPoSt', 'WinPoSt', 'SnapDeals', 'Filecoin', 'Lotus', 'Curio',
  'mpool', 'FULLNODE_API_INFO', 'MINER_API_INFO', 'LOTUS_PATH', 'LOTUS_MINER_PATH', 'f0', 't0', 'epoch', 'epochs', 'Miner'
]
const PROPER_AND_UNITS = [
  'MinerDesk', 'SSH', 'OpenSSH', 'ssh', 'sshd', 'JSON', 'CSV', 'API', 'RPC', 'JSON-RPC', 'JWT', 'CPU', 'GPU', 'RAM', 'ID', 'IDs', 'CID', 'PID', 'IP', 'URL',
  'UUID', 'NVIDIA', 'GeForce', 'RTX', 'Prometheus', 'Alertmanager', 'Grafana', 'Electron', 'Chromium', 'Linux', 'macOS', 'Windows', 'English', 'Ctrl', 'Cmd', 'Alt',
  'Shift', 'Esc', 'Enter', 'Tab', 'HostName', 'Port', 'User', 'IdentityFile', 'ProxyJump', 'Host', 'known_hosts', 'SHA256', 'ED25519', 'ssh-ed25519', 'RSA', 'ECDSA',
  'GiB', 'MiB', 'KiB', 'TiB', 'PiB', 'GB', 'MB', 'KB', 'TB', 'FIL', 'nanoFIL', 'attoFIL', 'ms', 's', 'm', 'h', 'd', 'x', 'OK',
  'dev', 'mainnet', 'calibnet', 'git', 'kill', 'TERM', 'KILL', 'nohup'
]
const ALLOWED = new Set<string>([...LOTUS_NAMES, ...PROPER_AND_UNITS])

export interface ProseHit {
  word: string
  text: string
  where: string
}

// A string expression (this file is compiled without the DOM library): collects visible text
// outside monospace and typed values, with the element it sits in.
const COLLECT = `(() => {
  const SKIP = 'code, pre, kbd, samp, script, style, textarea, input, .md-mono, [data-verbatim], [aria-hidden="true"], .ant-select-selection-item[title]'
  const out = []
  const visible = (el) => {
    const r = el.getBoundingClientRect()
    if (r.width === 0 || r.height === 0) return false
    const cs = getComputedStyle(el)
    return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) > 0
  }
  const mono = (el) => /mono|Menlo|Consolas|Courier/i.test(getComputedStyle(el).fontFamily.split(',')[0] || '')
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const text = n.textContent.trim()
    if (!/[A-Za-z]{2}/.test(text)) continue
    const el = n.parentElement
    if (!el || el.closest(SKIP) || mono(el) || !visible(el)) continue
    const path = []
    for (let e = el; e && e !== document.body && path.length < 4; e = e.parentElement) path.unshift(e.getAttribute('data-testid') || e.tagName.toLowerCase() + (e.classList[0] ? '.' + e.classList[0] : ''))
    out.push({ text, where: path.join(' > ') })
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (visible(el) && /[A-Za-z]{2}/.test(el.placeholder)) out.push({ text: el.placeholder, where: 'placeholder of ' + (el.closest('[data-testid]')?.getAttribute('data-testid') || 'input') })
  }
  return out
})()`

/** English words outside the allowlist in the visible text of the page. */
export async function englishProse(page: Page): Promise<ProseHit[]> {
  const texts = await page.evaluate<{ text: string; where: string }[]>(COLLECT)
  const hits: ProseHit[] = []
  for (const { text, where } of texts) {
    // Hosts, addresses, versions, paths and ids are values, not words.
    const cleaned = text
      .replace(/\b[\w.-]+@[\w.-]+\b/g, ' ')
      .replace(/(?:~|\.{0,2})\/[^\s，。、；：)）]*/g, ' ')
      .replace(/\b[\w-]+\.(?:log|sh|json|toml|yml|yaml|env)\b/g, ' ')
      .replace(/\b(?:[fFtT]0\d+|[ft][13][a-z2-7]{20,}|bafy[a-z0-9]+|12D3Koo\w+|Qm\w{20,})\b/g, ' ')
      .replace(/\bv?\d+(?:\.\d+)+(?:[-+][\w.+-]*)?/g, ' ')
      .replace(/\b[\w-]*\d[\w-]*\b/g, ' ')
    for (const m of cleaned.matchAll(/[A-Za-z][A-Za-z'_-]*[A-Za-z]/g)) {
      const w = m[0]
      if (!ALLOWED.has(w) && !ALLOWED.has(w.replace(/s$/, ''))) hits.push({ word: w, text: text.slice(0, 160), where })
    }
  }
  return hits
}

export interface OverflowHit {
  what: string
  by: number
}

// Elements wider than the window, and panels whose content sticks out of them (outside the
// scroll areas meant to scroll sideways).
const OVERFLOW = `(() => {
  const out = []
  const vw = document.documentElement.clientWidth
  const docOver = document.documentElement.scrollWidth - vw
  if (docOver > 1) out.push({ what: 'the page', by: docOver })
  const content = document.querySelector('.md-content')
  if (content && content.scrollWidth - content.clientWidth > 1) out.push({ what: 'the content pane', by: content.scrollWidth - content.clientWidth })
  const scrolls = (el) => { const o = getComputedStyle(el).overflowX; return o === 'auto' || o === 'scroll' || o === 'hidden' || o === 'clip' }
  for (const panel of document.querySelectorAll('.md-section, .md-site-card, .ant-card, .ant-alert, .ant-modal-content, .ant-drawer-content, [data-panel]')) {
    const r = panel.getBoundingClientRect()
    if (r.width === 0) continue
    if (r.right > vw + 1) out.push({ what: (panel.getAttribute('data-testid') || panel.className.split(' ')[0]) + ' (past the window)', by: Math.round(r.right - vw) })
    for (const el of panel.querySelectorAll('*')) {
      const e = el.getBoundingClientRect()
      if (e.width === 0 || e.right <= r.right + 1) continue
      let clipped = false
      for (let p = el.parentElement; p && p !== panel; p = p.parentElement) if (scrolls(p)) { clipped = true; break }
      if (clipped) continue
      out.push({ what: (panel.getAttribute('data-testid') || panel.className.split(' ')[0]) + ' > ' + (el.getAttribute('data-testid') || el.tagName.toLowerCase() + '.' + (el.classList[0] || '')), by: Math.round(e.right - r.right) })
      break
    }
  }
  return out
})()`

export async function overflows(page: Page): Promise<OverflowHit[]> {
  return page.evaluate<OverflowHit[]>(OVERFLOW)
}
