import { useEffect, useMemo, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { COUNTRY_CODES, RIGHTS } from "../lib/core";
import { parseCsv, toCsv } from "../lib/csv";
import { countryName, dateTime } from "../lib/format";
import { graphql, request, type VariablesOf } from "../lib/graphql";
import { Link } from "../lib/router";
import { ApiKeyField } from "../components/ApiKeyField";
import { ErrorMessage } from "../components/ErrorMessage";
import { TableScroll } from "../components/TableScroll";
import { TableHead } from "../components/TableHead";

const STATUS = graphql(`
  query VerifyOne($work: String!, $licensee: String!, $right: Right!, $territory: String!, $at: BigInt) {
    licenceStatus(work: $work, licensee: $licensee, right: $right, territory: $territory, at: $at, verify: true) {
      allowed work workId licensee right territory at reasons error
      evidence { licenceId offerId txHash blockNumber timestamp start end }
      onChain { licensed agreesWithIndex blockNumber }
    }
  }
`);

const BULK = graphql(`
  query VerifyMany($requests: [LicenceCheckInput!]!) {
    checkLicences(requests: $requests) { allowed work workId licensee right territory at reasons error evidence { licenceId txHash blockNumber end } }
  }
`);

type CheckInput = VariablesOf<typeof BULK>["requests"][number];
export const MAX_ROWS = 1000;

/** Reads the CSV (header: work, licensee, right, territory[, at]) into requests, or says which row is wrong. */
export function csvRequests(text: string): { requests: CheckInput[]; problem: { key: "verify.csvEmpty" | "verify.csvTooMany" | "verify.csvColumns" | "verify.csvRow"; vars?: Record<string, string | number> } | null } {
  const rows = parseCsv(text);
  if (rows.length < 2) return { requests: [], problem: { key: "verify.csvEmpty" } };
  const header = rows[0]!.map((h) => h.trim().toLowerCase());
  const col = (name: string) => header.indexOf(name);
  if (["work", "licensee", "right", "territory"].some((c) => col(c) < 0)) return { requests: [], problem: { key: "verify.csvColumns" } };
  const body = rows.slice(1);
  if (body.length > MAX_ROWS) return { requests: [], problem: { key: "verify.csvTooMany", vars: { n: body.length, max: MAX_ROWS } } };
  const requests: CheckInput[] = [];
  for (const [i, r] of body.entries()) {
    const right = r[col("right")]?.trim() ?? "";
    if (!(RIGHTS as readonly string[]).includes(right)) return { requests: [], problem: { key: "verify.csvRow", vars: { row: i + 2, field: "right", value: right } } };
    const at = col("at") >= 0 ? r[col("at")]?.trim() : "";
    requests.push({
      work: r[col("work")]?.trim() ?? "",
      licensee: r[col("licensee")]?.trim() ?? "",
      right: right as CheckInput["right"],
      territory: (r[col("territory")]?.trim() ?? "").toUpperCase(),
      ...(at ? { at } : {}),
    });
  }
  return { requests, problem: null };
}

function Reasons({ reasons }: { reasons: readonly string[] }) {
  const { t } = useI18n();
  return <>{reasons.map((r) => t(`reason.${r}` as never)).join("; ")}</>;
}

export function VerifyPage({ search }: { search: URLSearchParams }) {
  const { t, lang } = useI18n();
  const qs = search.toString();
  const initial = useMemo(() => {
    const p = new URLSearchParams(qs);
    return { work: p.get("work") ?? "", licensee: p.get("licensee") ?? "", right: p.get("right") ?? "Streaming", territory: p.get("territory") ?? "DE", at: "" };
  }, [qs]);
  const [form, setForm] = useState(initial);
  const [asked, setAsked] = useState<typeof initial | null>(initial.work && initial.licensee ? initial : null);
  useEffect(() => setForm(initial), [initial]);
  const one = useQuery({
    queryKey: ["verify", asked],
    enabled: asked !== null,
    queryFn: ({ signal }) =>
      request(STATUS, { work: asked!.work, licensee: asked!.licensee, right: asked!.right as CheckInput["right"], territory: asked!.territory, at: asked!.at ? String(Math.floor(new Date(asked!.at).getTime() / 1000)) : null }, { signal }),
  });
  const countries = useMemo(() => [...COUNTRY_CODES].map((c) => ({ c, name: countryName(c, lang) })).sort((a, b) => a.name.localeCompare(b.name, lang)), [lang]);
  const [csvProblem, setCsvProblem] = useState<ReturnType<typeof csvRequests>["problem"]>(null);
  const bulk = useMutation({ mutationFn: (requests: CheckInput[]) => request(BULK, { requests }) });
  const set = (k: keyof typeof initial) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  const r = one.data?.licenceStatus;

  const onCsv = async (file: File | undefined) => {
    if (!file) return;
    const { requests, problem } = csvRequests(await file.text());
    setCsvProblem(problem);
    if (!problem) bulk.mutate(requests);
  };
  const results = bulk.data?.checkLicences;
  const download = results
    ? URL.createObjectURL(
        new Blob([toCsv([["work", "licensee", "right", "territory", "at", "allowed", "reasons", "licence", "tx", "block", "error"], ...results.map((x) => [x.work, x.licensee, x.right, x.territory, x.at, x.allowed, x.reasons.join(" "), x.evidence?.licenceId, x.evidence?.txHash, x.evidence?.blockNumber, x.error])])], { type: "text/csv" }),
      )
    : null;

  return (
    <section aria-labelledby="verify-title">
      <h1 id="verify-title">{t("verify.title")}</h1>
      <p className="lead">{t("verify.lead")}</p>
      <form
        className="verify-form"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ ...form });
        }}
      >
        <label>
          {t("verify.work")}
          <input required name="work" value={form.work} onChange={set("work")} placeholder="5, GBTNT2600107, T-345246800-3" />
        </label>
        <label>
          {t("verify.licensee")}
          <input required name="licensee" value={form.licensee} onChange={set("licensee")} placeholder="0x…" />
        </label>
        <label>
          {t("verify.use")}
          <select name="right" value={form.right} onChange={set("right")}>
            {RIGHTS.map((x) => (
              <option key={x} value={x}>
                {t(`right.${x}` as never)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("verify.country")}
          <select name="territory" value={form.territory} onChange={set("territory")}>
            {countries.map(({ c, name }) => (
              <option key={c} value={c}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("verify.time")}
          <input type="datetime-local" value={form.at} onChange={set("at")} />
        </label>
        <button type="submit">{t("verify.ask")}</button>
      </form>

      {one.error && <ErrorMessage error={one.error} />}
      {one.isFetching && <p role="status">{t("common.loading")}</p>}
      {r && !one.isFetching && (
        <div className={`verdict ${r.allowed ? "allowed" : "denied"}`} role="status" aria-live="polite">
          <p className="verdict-word">{r.allowed ? t("verify.allowed") : t("verify.denied")}</p>
          <p>
            {t("verify.question", { licensee: r.licensee, work: r.work, use: t(`right.${r.right}` as never), country: countryName(r.territory, lang), at: dateTime(r.at, lang) })}
          </p>
          {r.error && <p>{r.error}</p>}
          {!r.allowed && r.reasons.length > 0 && (
            <p>
              {t("verify.because")} <Reasons reasons={r.reasons} />
            </p>
          )}
          {r.evidence && (
            <p>
              {t("verify.evidence", { block: r.evidence.blockNumber, tx: r.evidence.txHash })} <Link href={`/licences/${r.evidence.licenceId}`}>{t("verify.openCertificate", { id: r.evidence.licenceId })}</Link>
            </p>
          )}
          {r.onChain && <p className="muted">{t(r.onChain.agreesWithIndex ? "verify.chainAgrees" : "verify.chainDisagrees", { block: r.onChain.blockNumber })}</p>}
        </div>
      )}

      <h2>{t("verify.csvTitle")}</h2>
      <p>{t("verify.csvHelp", { max: MAX_ROWS })}</p>
      <ApiKeyField scope="bulk" />
      <label className="file-input">
        {t("verify.csvChoose")}
        <input type="file" accept=".csv,text/csv" onChange={(e) => void onCsv(e.target.files?.[0])} />
      </label>
      {csvProblem && (
        <p className="error" role="alert">
          {t(csvProblem.key, csvProblem.vars)}
        </p>
      )}
      {bulk.error && <ErrorMessage error={bulk.error} />}
      {bulk.isPending && <p role="status">{t("common.loading")}</p>}
      {results && (
        <>
          <p role="status">{t("verify.csvDone", { n: results.length, allowed: results.filter((x) => x.allowed).length })}</p>
          {download && (
            <a className="button" href={download} download="tantieme-checks.csv">
              {t("verify.csvDownload")}
            </a>
          )}
          <TableScroll label={t("verify.csvTitle")}>
            <table className="table results">
              <TableHead columns={[t("verify.work"), t("verify.licensee"), t("verify.use"), t("verify.country"), t("verify.answer"), t("verify.detail")]} />
              <tbody>
                {results.map((x, i) => (
                  <tr key={i} className={x.allowed ? "allowed" : "denied"}>
                    <td>{x.work}</td>
                    <td className="mono small">{x.licensee}</td>
                    <td>{t(`right.${x.right}` as never)}</td>
                    <td>{x.territory}</td>
                    <td>{x.allowed ? t("verify.yes") : t("verify.no")}</td>
                    <td>{x.error ?? (x.evidence ? <Link href={`/licences/${x.evidence.licenceId}`}>#{x.evidence.licenceId}</Link> : <Reasons reasons={x.reasons} />)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}
