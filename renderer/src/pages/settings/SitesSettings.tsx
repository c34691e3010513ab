import { App, Button, Space, Table } from 'antd'
import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons'
import type { ColumnsType } from 'antd/es/table'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Mono } from '@renderer/components/Mono'
import { useReportError } from '@renderer/components/useReportError'
import type { SiteConfig } from '@contract'
import { navigate } from '@renderer/stores/navigation'
import { moveSite, removeSite, selectSites, useSitesStore } from '@renderer/stores/sites'
import { AddSiteModal } from './AddSiteModal'
import { SiteSettingsDrawer } from './SiteSettingsDrawer'

/** The configured sites: order (up/down), name, alias, group, poll interval; edit and remove. */
export function SitesSettings({ editing }: { editing: string | null }) {
  const { t } = useTranslation()
  const { modal } = App.useApp()
  const sites = useSitesStore(selectSites)
  const report = useReportError()
  const [adding, setAdding] = useState(false)
  const editingSite = editing ? sites.find((s) => s.id === editing) : undefined

  const confirmRemove = (site: SiteConfig) => {
    modal.confirm({
      title: t('sitesSettings.removeTitle', { name: site.name }),
      content: t('sitesSettings.removeBody', { alias: site.alias }),
      okText: t('sitesSettings.remove'),
      okButtonProps: { danger: true, 'data-testid': 'confirm-remove' },
      cancelText: t('common.cancel'),
      onOk: () => removeSite(site.id).catch(report)
    })
  }

  const columns: ColumnsType<SiteConfig> = [
    {
      title: t('sitesSettings.order'),
      key: 'order',
      width: 90,
      render: (_, s, i) => (
        <Space size={2}>
          <Button size="small" type="text" icon={<ArrowUpOutlined />} disabled={i === 0} onClick={() => moveSite(s.id, -1).catch(report)} aria-label={t('sitesSettings.moveUp')} data-testid="move-up" />
          <Button size="small" type="text" icon={<ArrowDownOutlined />} disabled={i === sites.length - 1} onClick={() => moveSite(s.id, 1).catch(report)} aria-label={t('sitesSettings.moveDown')} data-testid="move-down" />
        </Space>
      )
    },
    { title: t('sitesSettings.name'), dataIndex: 'name', render: (v: string) => <span data-testid="site-row-name">{v}</span> },
    { title: t('sitesSettings.alias'), dataIndex: 'alias', render: (v: string) => <Mono>{v}</Mono> },
    { title: t('sitesSettings.group'), dataIndex: 'group', render: (v: string) => v || <span className="md-muted">—</span> },
    { title: t('siteSettings.pollInterval'), dataIndex: 'pollIntervalSec', align: 'right', width: 110, render: (v: number) => <Mono>{v}s</Mono> },
    {
      title: '',
      key: 'actions',
      width: 160,
      align: 'right',
      render: (_, s) => (
        <Space size={4}>
          <Button size="small" onClick={() => navigate({ page: 'settings', section: 'sites', siteId: s.id })} data-testid="edit-site">
            {t('common.edit')}
          </Button>
          <Button size="small" danger onClick={() => confirmRemove(s)} data-testid="remove-site">
            {t('sitesSettings.remove')}
          </Button>
        </Space>
      )
    }
  ]

  return (
    <div className="md-stack" data-testid="sites-settings">
      <div className="md-toolbar md-subbar">
        <span className="md-muted">{t('sitesSettings.hint')}</span>
        <span className="md-flex-fill" />
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="add-site">
          {t('sitesSettings.add')}
        </Button>
      </div>
      <Table<SiteConfig>
        size="small"
        rowKey="id"
        columns={columns}
        dataSource={sites}
        pagination={false}
        locale={{ emptyText: t('sitesSettings.empty') }}
        onRow={(s) => ({ 'data-testid': 'site-row', 'data-site': s.id }) as React.HTMLAttributes<HTMLElement>}
        data-testid="sites-table"
      />
      <AddSiteModal open={adding} onClose={() => setAdding(false)} existingGroups={[...new Set(sites.map((s) => s.group).filter(Boolean))]} />
      {editingSite && <SiteSettingsDrawer key={editingSite.id} site={editingSite} onClose={() => navigate({ page: 'settings', section: 'sites' })} />}
    </div>
  )
}
