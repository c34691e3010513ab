import i18next, { type i18n as I18n } from 'i18next'
import { initReactI18next } from 'react-i18next'
import dayjs from 'dayjs'
import 'dayjs/locale/zh-cn'
import 'dayjs/locale/en'
import type { Language } from '@contract'
import zhCN from '../../../resources/locales/zh-CN.json'
import en from '../../../resources/locales/en.json'

/**
 * zh-CN first, English second. The locale files live in resources/locales so the main process can
 * render the same `findings.<kind>…`, `errors.<code>` and `connection.<state>` texts for desktop
 * notifications and the CLI; keys there are stable.
 */
export const RESOURCES = { 'zh-CN': zhCN, en } as const

const DAYJS_LOCALE: Record<Language, string> = { 'zh-CN': 'zh-cn', en: 'en' }

export function initI18n(language: Language): I18n {
  if (!i18next.isInitialized) {
    void i18next.use(initReactI18next).init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng: language,
      fallbackLng: 'zh-CN',
      // React escapes; values such as commands and paths must appear exactly as given.
      interpolation: { escapeValue: false },
      returnNull: false
    })
  }
  setLanguage(language)
  return i18next
}

export function setLanguage(language: Language): void {
  if (i18next.language !== language) void i18next.changeLanguage(language)
  dayjs.locale(DAYJS_LOCALE[language])
  document.documentElement.lang = language
}

export { i18next }
