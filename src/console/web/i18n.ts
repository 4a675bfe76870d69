import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

// Chinese first (the stores' staff and HQ read it); English for whoever switches. Each text is written where it is
// used, both languages side by side, so that none can be missing.

export type Lang = 'zh' | 'en';
const KEY = 'console.lang';

export function savedLang(): Lang {
  return localStorage.getItem(KEY) === 'en' ? 'en' : 'zh';
}

export function saveLang(lang: Lang): void {
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
}

export const LangContext = createContext<Lang>('zh');

/** `t('门店', 'Stores')`: the text in the page's language. */
export function useT(): (zh: string, en: string) => string {
  const lang = useContext(LangContext);
  return (zh, en) => (lang === 'en' ? en : zh);
}

export function useLang(): Lang {
  return useContext(LangContext);
}
