import { Alert } from 'antd'
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { CopyableCommand } from '@renderer/components/CopyableCommand'
import { Mono } from '@renderer/components/Mono'
import { selectAppInfo, useSettingsStore } from '@renderer/stores/settings'

/**
 * settings.json could not be used and is kept aside: MinerDesk runs without the operator's sites
 * until they restore it (or remove the kept copy). Said at the top of every page, with where the
 * copy is and the command that puts it back; hiding it lasts for this window only.
 */
export function SettingsProblemBanner() {
  const { t } = useTranslation()
  const problem = useSettingsStore(selectAppInfo)?.settingsProblem
  const [hidden, setHidden] = useState<string | null>(null)
  if (!problem || hidden === problem.movedTo) return null
  return (
    <Alert
      type="warning"
      banner
      closable={{ onClose: () => setHidden(problem.movedTo) }}
      data-testid="settings-problem"
      title={t('settingsProblem.title')}
      description={
        <div>
          <div>{t('settingsProblem.body')}</div>
          <div className="md-gap-top">
            {t('settingsProblem.reason')} <Mono>{problem.reason}</Mono>
          </div>
          <div>
            {t('settingsProblem.kept')} <Mono testId="settings-problem-path">{problem.movedTo}</Mono>
          </div>
          <div className="md-gap-top">
            {t('settingsProblem.restore')} <CopyableCommand command={`mv '${problem.movedTo}' '${problem.file}'`} />
          </div>
          <div className="md-muted">{t('settingsProblem.after')}</div>
        </div>
      }
    />
  )
}
