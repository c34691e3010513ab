import { Alert } from 'antd'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import type { FileEntry, HostProblem } from '@contract'

/**
 * Sector files as an operator reads them: problems in words (the host's own words verbatim
 * below), paths shortened in the middle with the whole path on hover, and entries in a fixed
 * order (host, then the file kinds as Lotus lays them out, then name).
 */

const KIND_ORDER: Record<FileEntry['kind'], number> = { sealed: 0, cache: 1, unsealed: 2, update: 3, 'update-cache': 4 }
const kindRank = (k: string): number => KIND_ORDER[k as FileEntry['kind']] ?? 9

export function compareFiles(a: { alias: string; kind: string; name: string; rel: string; path: string }, b: typeof a): number {
  return a.alias.localeCompare(b.alias) || kindRank(a.kind) - kindRank(b.kind) || a.name.localeCompare(b.name) || (a.rel === '' ? -1 : b.rel === '' ? 1 : a.rel.localeCompare(b.rel)) || a.path.localeCompare(b.path)
}

/** `/mnt/store-07/…/cache/s-t01000-36/p_aux`: the start and the end kept, at most `max` characters. */
export function shortPath(path: string, max = 56): string {
  if (path.length <= max) return path
  const parts = path.split('/')
  let tail = parts.pop() ?? ''
  while (parts.length > 1 && tail.length + (parts[parts.length - 1] ?? '').length + 1 < max * 0.6) tail = `${parts.pop()}/${tail}`
  let k = 0
  while (k < parts.length && parts.slice(0, k + 1).join('/').length + tail.length + 3 <= max) k++
  return `${parts.slice(0, Math.max(k, 1)).join('/')}/…/${tail}`
}

/** A long path, shortened, the full path on hover. */
export function PathText({ path, testId }: { path: string; testId?: string }) {
  return (
    <Mono title={path} testId={testId}>
      {shortPath(path)}
    </Mono>
  )
}

export function problemText(t: (k: string, o?: Record<string, unknown>) => string, p: HostProblem): string {
  return t(`sectors.fileProblem.${p.kind}`, { ...p.params, alias: p.alias ?? '—', defaultValue: p.message })
}

export function HostProblemNotice({ problem, testId }: { problem: HostProblem; testId: string }) {
  const { t } = useTranslation()
  return (
    <Alert
      type="warning"
      showIcon
      title={problemText(t, problem)}
      description={problem.detail ? <pre className="md-pre">{problem.detail}</pre> : undefined}
      data-testid={testId}
      data-kind={problem.kind}
    />
  )
}
