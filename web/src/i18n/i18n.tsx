/**
 * German and English. The language comes from the browser (navigator.languages), can be switched
 * in the header, and the choice is remembered. Messages live in en.json and de.json; both must
 * have every key (the type check fails otherwise). `{name}` placeholders are filled from `vars`, and
 * counts use ICU plural forms, `{n, plural, one {# work} other {# works}}` (format-message.ts).
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from "react";
import en from "./en.json";
import de from "./de.json";
import { formatMessage, type MessageVars } from "./format-message";

export type MessageKey = keyof typeof en;
type Messages = Record<MessageKey, string>;
const MESSAGES: Record<Lang, Messages> = { en, de };

export const LANGS = ["de", "en"] as const;
export type Lang = (typeof LANGS)[number];
const STORAGE = "tantieme.lang";

export function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE);
    if (stored === "de" || stored === "en") return stored;
  } catch {
    /* no storage */
  }
  for (const l of navigator.languages ?? [navigator.language]) {
    const base = l.toLowerCase().split("-")[0];
    if (base === "de" || base === "en") return base;
  }
  return "en";
}

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: MessageVars): string {
  return formatMessage(lang, MESSAGES[lang][key] ?? MESSAGES.en[key] ?? key, vars);
}

interface I18n {
  lang: Lang;
  setLang: (l: Lang) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE, l);
    } catch {
      /* no storage */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const t = useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
  const value = useMemo(() => ({ lang, setLang, t }), [lang, setLang, t]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error("useI18n outside I18nProvider");
  return ctx;
}
