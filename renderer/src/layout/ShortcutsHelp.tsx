import { Button, Popover } from 'antd'
import { useTranslation } from 'react-i18next'
import { SHORTCUT_HELP } from '@renderer/model/shortcuts'

/** The keyboard shortcuts, one popover away (and on `?`). */
export function ShortcutsHelp({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation()
  const content = (
    <table className="md-shortcuts" data-testid="shortcuts-help">
      <tbody>
        {SHORTCUT_HELP.map((s) => (
          <tr key={s.label}>
            <td className="md-nowrap">
              {s.keys.map((k, i) => (
                <span key={k}>
                  {i > 0 && ' '}
                  <kbd>{k}</kbd>
                </span>
              ))}
            </td>
            <td>{t(s.label)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
  return (
    <Popover content={content} title={t('shortcuts.title')} trigger="click" open={open} onOpenChange={onOpenChange} placement="rightBottom">
      <Button type="text" size="small" block className="md-nav-button" data-testid="shortcuts-button">
        {t('shortcuts.title')} <kbd>?</kbd>
      </Button>
    </Popover>
  )
}
