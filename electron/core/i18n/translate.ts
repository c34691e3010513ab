import type { Finding, I18nText, Language } from '../../../preload/contract'
import en from '../../../resources/locales/en.json'
import zhCN from '../../../resources/locales/zh-CN.json'

/**
 * Translations for the main side (desktop notifications, CLI messages) from the same locale files
 * the renderer uses, with i18next's `{{name}}` interpolation.
 */
type Tree = { [k: string]: string | Tree }
const LOCALES: Record<Language, Tree> = { 'zh-CN': zhCN as Tree, en: en as Tree }

function lookup(tree: Tree, key: string): string | null {
  let node: string | Tree | undefined = tree
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return null
    node = node[part]
  }
  return typeof node === 'string' ? node : null
}

/** A key with its plural forms (`key_one`, `key_other`) picked by `count`, as i18next does. */
function find(lang: Language, key: string, params: Record<string, string | number>): string | null {
  if (typeof params.count === 'number') {
    const form = new Intl.PluralRules(lang).select(params.count)
    for (const l of [lang, 'en'] as Language[]) {
      const plural = lookup(LOCALES[l], `${key}_${form}`) ?? lookup(LOCALES[l], `${key}_other`)
      if (plural !== null) return plural
    }
  }
  return lookup(LOCALES[lang], key) ?? lookup(LOCALES.en, key)
}

/**
 * The text of a key in a language, for a terminal or a notification: `{{name}}` filled in, and the
 * markup the window renders as monospace (backticks, `<mono>`) left out.
 */
export function translate(lang: Language, key: string, params: Record<string, string | number> = {}): string {
  const text = find(lang, key, params) ?? key
  return text
    .replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (_m, name: string) => (name in params ? String(params[name]) : `{{${name}}}`))
    .replace(/<\/?mono>/g, '')
    .replace(/`([^`]*)`/g, '$1')
}

export function translateText(lang: Language, t: I18nText): string {
  return translate(lang, t.key, t.params)
}

/** One line per finding: `site-2: worker pc1box 被禁用，仍持有 2 个任务`. */
export function findingLine(lang: Language, f: Finding, siteName: string): string {
  return `${siteName}: ${translate(lang, f.title.key, f.title.params)}`
}
