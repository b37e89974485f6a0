import { formatUnits } from "viem";
import type { Lang, Translate } from "../i18n/i18n";

export const ETH = "0x0000000000000000000000000000000000000000";

export function shortAddress(a: string): string {
  return a.length > 12 ? `${a.slice(0, 6)}…${a.slice(-4)}` : a;
}

/** An amount in wei (or token units with 18 decimals) with its currency. */
export function money(amount: string | bigint, currency: string, lang: Lang): string {
  const value = formatUnits(BigInt(amount), 18);
  const [int, frac = ""] = value.split(".");
  const sep = lang === "de" ? "," : ".";
  const grouped = BigInt(int!).toLocaleString(lang === "de" ? "de-DE" : "en-GB");
  const unit = currency.toLowerCase() === ETH ? "ETH" : `× ${shortAddress(currency)}`;
  return `${grouped}${frac && frac !== "0" ? sep + frac.slice(0, 6) : ""} ${unit}`;
}

export function dateTime(unixSeconds: string | number | bigint, lang: Lang): string {
  return new Date(Number(unixSeconds) * 1000).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "medium", timeStyle: "short" });
}

export function date(unixSeconds: string | number | bigint, lang: Lang): string {
  return new Date(Number(unixSeconds) * 1000).toLocaleDateString(lang === "de" ? "de-DE" : "en-GB", { dateStyle: "long" });
}

const displayNames = new Map<Lang, Intl.DisplayNames>();
export function countryName(code: string, lang: Lang): string {
  let names = displayNames.get(lang);
  if (!names) {
    names = new Intl.DisplayNames([lang], { type: "region" });
    displayNames.set(lang, names);
  }
  try {
    return names.of(code) ?? code;
  } catch {
    return code;
  }
}

export function list(items: string[], lang: Lang): string {
  return new Intl.ListFormat(lang, { style: "long", type: "conjunction" }).format(items);
}

export function duration(seconds: string, t: Translate): string {
  const s = Number(seconds);
  if (s === 0) return t("offer.perpetual");
  const days = s / 86400;
  if (Number.isInteger(days)) return t("offer.days", { n: days });
  return t("offer.seconds", { n: s });
}

export function percent(bps: number, lang: Lang): string {
  return (bps / 100).toLocaleString(lang === "de" ? "de-DE" : "en-GB", { maximumFractionDigits: 2 }) + " %";
}

export const ipfsUrl = (cid: string) => `/ipfs/${cid}`;

/** The CID inside a stored file reference of work metadata, when it has one. */
export function fileCid(ref: unknown): string | null {
  if (ref && typeof ref === "object" && "cid" in ref && typeof (ref as { cid: unknown }).cid === "string") return (ref as { cid: string }).cid;
  return null;
}
