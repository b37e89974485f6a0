import { useI18n } from "../i18n/i18n";

export interface SplitRow {
  account: string;
  percent: string;
}

export function rowsToRecipients(rows: SplitRow[]): { account: string; shareBps: number }[] {
  return rows.filter((r) => r.account.trim()).map((r) => ({ account: r.account.trim(), shareBps: Math.round(Number(r.percent.replace(",", ".")) * 100) }));
}

/** Who gets what share: rows of account + percent, totalling 100 %. */
export function SplitEditor({ rows, onChange, idPrefix }: { rows: SplitRow[]; onChange: (rows: SplitRow[]) => void; idPrefix: string }) {
  const { t } = useI18n();
  const total = rowsToRecipients(rows).reduce((s, r) => s + (Number.isFinite(r.shareBps) ? r.shareBps : 0), 0);
  const update = (i: number, patch: Partial<SplitRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="split-editor">
      <legend>{t("studio.split")}</legend>
      {rows.map((r, i) => (
        <div className="split-row" key={i}>
          <label>
            {t("studio.splitAccount", { n: i + 1 })}
            <input id={`${idPrefix}-account-${i}`} value={r.account} onChange={(e) => update(i, { account: e.target.value })} placeholder="0x…" spellCheck={false} />
          </label>
          <label>
            {t("studio.splitPercent")}
            <input id={`${idPrefix}-percent-${i}`} inputMode="decimal" value={r.percent} onChange={(e) => update(i, { percent: e.target.value })} />
          </label>
          {rows.length > 1 && (
            <button type="button" className="secondary" onClick={() => onChange(rows.filter((_, j) => j !== i))}>
              {t("studio.splitRemove")}
            </button>
          )}
        </div>
      ))}
      <button type="button" className="secondary" onClick={() => onChange([...rows, { account: "", percent: "" }])}>
        {t("studio.splitAdd")}
      </button>
      <p className={total === 10000 ? "muted" : "error"} aria-live="polite">
        {t("studio.splitTotal", { total: total / 100 })}
      </p>
    </fieldset>
  );
}
