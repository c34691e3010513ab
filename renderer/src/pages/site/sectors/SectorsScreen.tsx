import { Button, Input, Select, Space, Tooltip } from 'antd'
import { ReloadOutlined } from '@ant-design/icons'
import { useEffect, useMemo, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { ErrorNotice } from '@renderer/components/ErrorNotice'
import { Mono } from '@renderer/components/Mono'
import { StatusText } from '@renderer/components/StatusText'
import { SECTOR_FILTER_GROUPS, type SectorFilterGroup, type SiteConfig } from '@contract'
import { formatAge, formatInt, secondsSince } from '@renderer/model/format'
import { useNow } from '@renderer/stores/clock'
import { navigate } from '@renderer/stores/navigation'
import { AutopledgeBox } from './AutopledgeBox'
import { DurationsEditor } from './DurationsEditor'
import { FindFilesModal } from './FindFilesModal'
import { MutationDialog, type MutationRequest } from '@renderer/ops/MutationDialog'
import { GROUP_TONE } from './SectorsGrid'
import { SectorsGrid } from './SectorsGrid'
import { filterRows, rowOf } from './sectorsModel'
import { loadSectors, previewPledge, previewRemove, previewUpdateState, setSelection, useSectorsModel, useSectorsStore, useSelection } from './sectorsStore'
import { UpdateStateModal } from './UpdateStateModal'
import { Rich } from '@renderer/components/Rich'

const EMPTY = new Int32Array(0)

/** Height of the grid's scroll area: the window minus the header, tabs and toolbars above it. */
function useGridHeight(): number {
  const [h, setH] = useState(() => (typeof window === 'undefined' ? 600 : window.innerHeight))
  useEffect(() => {
    const on = () => setH(window.innerHeight)
    window.addEventListener('resize', on)
    return () => window.removeEventListener('resize', on)
  }, [])
  return Math.max(320, h - 330)
}

/**
 * The sectors screen of a site: every sector (failed and stuck first), filters by group, state
 * and number, and the runbook's sector actions — on selected sectors (update-state, the
 * CommitWait / PreCommitWait shortcuts, remove) and on the site (pledge, autopledge, find files).
 */
export function SectorsScreen({ site }: { site: SiteConfig }) {
  const { t, i18n } = useTranslation()
  const { model, version } = useSectorsModel(site.id)
  const loading = useSectorsStore((s) => s.loading[site.id] === true)
  const error = useSectorsStore((s) => s.errors[site.id] ?? null)
  const { selected, version: selVersion } = useSelection(site.id)
  const [group, setGroup] = useState<SectorFilterGroup | 'all'>('all')
  const [stateNames, setStateNames] = useState<string[]>([])
  const [search, setSearch] = useState('')
  const [dialog, setDialog] = useState<{ id: number; request: MutationRequest } | null>(null)
  const [updateOpen, setUpdateOpen] = useState(false)
  const [findOpen, setFindOpen] = useState(false)
  const now = useNow()
  const height = useGridHeight()

  // First load, then follow the site's poll interval (at least every 30 s) while the screen is open.
  useEffect(() => {
    void loadSectors(site.id)
    const every = Math.max(30, site.pollIntervalSec) * 1000
    const timer = setInterval(() => void loadSectors(site.id), every)
    return () => clearInterval(timer)
  }, [site.id, site.pollIntervalSec])

  const rows = useMemo(() => {
    if (!model) return EMPTY
    const states = stateNames.map((s) => model.states.indexOf(s)).filter((i) => i >= 0)
    if (stateNames.length > 0 && states.length === 0) return EMPTY
    return filterRows(model, { group, states, search })
    // `version` names the model; the model object itself changes with it.
  }, [model, version, group, stateNames, search]) // eslint-disable-line react-hooks/exhaustive-deps

  const stateOptions = useMemo(
    () => (model ? model.states.map((s, i) => ({ value: s, label: `${s} (${model.stateCounts[i]})` })).sort((a, b) => a.value.localeCompare(b.value)) : []),
    [model]
  )
  const selectedList = useMemo(() => [...selected].sort((a, b) => a - b), [selected, selVersion]) // eslint-disable-line react-hooks/exhaustive-deps

  const open = (request: MutationRequest) => setDialog({ id: Date.now(), request })
  const afterChange = () => void loadSectors(site.id)

  return (
    <div className="md-stack" data-testid="sectors-tab">
      <div className="md-toolbar md-subbar">
        <div className="md-sgroups" role="group" aria-label={t('sectors.filter.group')}>
          {(['all', ...SECTOR_FILTER_GROUPS] as const).map((g) => (
            <button key={g} type="button" className="md-sgroup" aria-pressed={group === g} onClick={() => setGroup(g)} data-testid={`sectors-group-${g}`} data-count={model?.counts[g] ?? 0}>
              {g === 'all' ? t('sectors.filter.all') : <StatusText tone={GROUP_TONE[g]}>{t(`sectors.group.${g}`)}</StatusText>}
              <Mono>{formatInt(model?.counts[g] ?? 0, i18n.language)}</Mono>
            </button>
          ))}
        </div>
        <Select
          mode="multiple"
          allowClear
          placeholder={t('sectors.filter.states')}
          value={stateNames}
          onChange={setStateNames}
          options={stateOptions}
          style={{ minWidth: 220, maxWidth: 420 }}
          maxTagCount={2}
          data-testid="sectors-state-filter"
        />
        <Input.Search allowClear placeholder={t('sectors.filter.search')} value={search} onChange={(e) => setSearch(e.target.value)} style={{ width: 240 }} className="md-mono" data-testid="sectors-search" />
        <span className="md-flex-fill" />
        <AutopledgeBox site={site} onStart={open} />
        <Space size={6}>
          <Button onClick={() => open({ title: t('sectors.action.pledge'), make: () => previewPledge(site.id), onDone: afterChange })} data-testid="sectors-pledge">
            <Rich text={t('sectors.action.pledge')} />
          </Button>
          <Button onClick={() => setFindOpen(true)} data-testid="sectors-find-files">
            {t('sectors.action.findFiles')}
          </Button>
          <DurationsEditor site={site} onSaved={afterChange} />
          <Tooltip title={t('sectors.refresh')}>
            <Button icon={<ReloadOutlined />} loading={loading} onClick={() => void loadSectors(site.id)} data-testid="sectors-refresh" />
          </Tooltip>
        </Space>
      </div>

      {selected.size > 0 && (
        <div className="md-selbar" data-testid="sectors-selection" data-count={selected.size}>
          <span>{t('sectors.selection.count', { n: selected.size })}</span>
          <Mono>{selectedList.slice(0, 8).join(', ') + (selectedList.length > 8 ? ' …' : '')}</Mono>
          <span className="md-flex-fill" />
          <Button size="small" onClick={() => setUpdateOpen(true)} data-testid="bulk-update-state">
            {t('sectors.action.updateState')}
          </Button>
          {(['CommitWait', 'PreCommitWait'] as const).map((s) => (
            <Button
              key={s}
              size="small"
              onClick={() => open({ title: <Rich text={t('sectors.action.shortcut', { state: s })} />, make: () => previewUpdateState(site.id, selectedList, s), onDone: afterChange })}
              data-testid={`bulk-${s.toLowerCase()}`}
            >
              <Mono>{s}</Mono>
            </Button>
          ))}
          <Button
            size="small"
            danger
            onClick={() =>
              open({
                title: t('sectors.action.removeMany', { n: selectedList.length, count: selectedList.length }),
                make: () => previewRemove(site.id, selectedList),
                onDone: () => {
                  setSelection(site.id, [])
                  afterChange()
                }
              })
            }
            data-testid="bulk-remove"
          >
            {t('sectors.action.remove')}
          </Button>
          <Button size="small" type="text" onClick={() => setSelection(site.id, [])} data-testid="bulk-clear">
            {t('sectors.selection.clear')}
          </Button>
        </div>
      )}

      {error && <ErrorNotice error={error} testId="sectors-error" />}
      {model ? (
        <>
          <SectorsGrid resetKey={`${group}|${stateNames.join(',')}|${search}`} model={model} rows={rows} siteId={site.id} height={height} onOpen={(n) => navigate({ page: 'site', siteId: site.id, tab: 'sectors', sector: n })} />
          <div className="md-toolbar md-subbar md-muted" style={{ fontSize: 12 }} data-testid="sectors-footer">
            <span data-testid="sectors-shown">{t('sectors.shown', { shown: formatInt(rows.length, i18n.language), total: formatInt(model.rows, i18n.language) })}</span>
            <span>{t('sectors.updated', { ago: formatAge(secondsSince(model.takenAt, now)), took: model.tookMs })}</span>
            <span>{t('sectors.stuckRule', { multiple: model.stuckMultiple })}</span>
            {model.detailErrors > 0 && <StatusText tone="warning">{t('sectors.detailErrors', { n: model.detailErrors, count: model.detailErrors })}</StatusText>}
            <span className="md-flex-fill" />
            <span className="md-mono">lotus-miner sectors list</span>
          </div>
        </>
      ) : (
        !error && <div className="md-muted" data-testid="sectors-loading">{t('sectors.loading')}</div>
      )}

      {dialog && <MutationDialog key={dialog.id} request={dialog.request} onClose={() => setDialog(null)} />}
      {updateOpen && (
        <UpdateStateModal
          sectors={selectedList}
          currentStates={model ? selectedList.map((n) => stateOf(model, n)) : []}
          safe={model ? selectedList.map((n) => safeTargetsOf(model, n)) : []}
          all={model?.targets.all ?? []}
          onCancel={() => setUpdateOpen(false)}
          onChoose={(state, override) => {
            setUpdateOpen(false)
            open({ title: <Rich text={t('sectors.action.updateStateTo', { state })} />, make: () => previewUpdateState(site.id, selectedList, state, ...(override ? [{ override: true as const }] : [])), onDone: afterChange })
          }}
        />
      )}
      {findOpen && <FindFilesModal site={site} onClose={() => setFindOpen(false)} />}
    </div>
  )
}

type Model = NonNullable<ReturnType<typeof useSectorsModel>['model']>

function stateOf(model: Model, n: number): string {
  const row = rowOf(model.numbers, n)
  return row < 0 ? '' : (model.states[model.stateIdx[row] as number] ?? '')
}

/** The update-state targets safe for sector n; null for a sector the list did not read (Proving, Available, Removed). */
function safeTargetsOf(model: Model, n: number): string[] | null {
  const row = rowOf(model.numbers, n)
  const d = row < 0 ? -1 : (model.detailIdx[row] as number)
  return d < 0 ? null : (model.details[d]?.targets ?? null)
}
