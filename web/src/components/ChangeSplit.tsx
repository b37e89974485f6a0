import { useEffect, useRef, useState } from "react";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { decodeJson, encodeJson } from "../lib/base64url";
import { percent } from "../lib/format";
import { graphql, request, type ResultOf } from "../lib/graphql";
import { useTransactions } from "../lib/useTransactions";
import { Address } from "./Address";
import { ErrorMessage } from "./ErrorMessage";
import { rowsToRecipients, SplitEditor, type SplitRow } from "./SplitEditor";
import { TxProgress } from "./TxProgress";

const PREPARE_SPLIT = graphql(`
  mutation PrepareSplitChange($input: SplitChangeInput!) {
    prepareSplitChange(input: $input) {
      workId fromVersion deadline missing
      recipients { account shareBps }
      consents { recipient currentShareBps newShareBps signed typedData { domain types primaryType message digest } }
      transactions { description to data value chainId gas simulationError }
    }
  }
`);
type Prepared = ResultOf<typeof PREPARE_SPLIT>["prepareSplitChange"];

/** What a consent link carries to the co-creator (all they need to sign; no API key). */
export interface ConsentRequest {
  work: string;
  title: string | null;
  recipient: string;
  currentShareBps: number;
  newShareBps: number;
  typedData: Prepared["consents"][number]["typedData"];
  returnTo: string;
}

/** What the co-creator sends back to the owner. */
export interface ConsentReturn {
  work: string;
  recipient: string;
  signature: string;
}

interface Proposal {
  work: string;
  recipients: { account: string; shareBps: number }[];
  deadline: string;
  consents: { recipient: string; signature: string }[];
}

const STORAGE = "tantieme.splitProposal";
const load = (): Proposal | null => {
  try {
    return JSON.parse(localStorage.getItem(STORAGE) ?? "null") as Proposal | null;
  } catch {
    return null;
  }
};
const save = (p: Proposal | null) => {
  try {
    if (p) localStorage.setItem(STORAGE, JSON.stringify(p));
    else localStorage.removeItem(STORAGE);
  } catch {
    /* no storage */
  }
};

/** The stored proposal, with a consent that came back through its link (#consent=…) added. */
function withReturnedConsent(): Proposal | null {
  const current = load();
  const m = /#consent=([A-Za-z0-9_-]+)/.exec(location.hash);
  if (!m) return current;
  history.replaceState(null, "", location.pathname + location.search);
  const back = decodeJson<ConsentReturn>(m[1]!);
  if (!back || !current || current.work !== back.work) return current;
  const next = { ...current, consents: [...current.consents.filter((c) => c.recipient.toLowerCase() !== back.recipient.toLowerCase()), { recipient: back.recipient, signature: back.signature }] };
  save(next);
  return next;
}

/** Change a work's split; recipients who lose share sign a consent through a link. */
export function ChangeSplit({ works, onChanged }: { works: readonly { id: string; title: string | null; split: { recipients: readonly { account: string; shareBps: number }[] } }[]; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const { address } = useAccount();
  const [work, setWork] = useState("");
  const [rows, setRows] = useState<SplitRow[]>([]);
  const [proposal, setProposal] = useState<Proposal | null>(withReturnedConsent);
  const [prepared, setPrepared] = useState<Prepared | null>(null);
  const [error, setError] = useState<unknown>(null);
  const tx = useTransactions();
  const selected = works.find((w) => w.id === (work || proposal?.work || works[0]?.id));

  useEffect(() => {
    if (selected && rows.length === 0) setRows(selected.split.recipients.map((r) => ({ account: r.account, percent: String(r.shareBps / 100) })));
  }, [selected, rows.length]);

  // A consent link opened in this same tab only changes the fragment: take it from there too.
  useEffect(() => {
    const onHash = () => {
      if (!location.hash.startsWith("#consent=")) return;
      setPrepared(null);
      setProposal(withReturnedConsent());
    };
    window.addEventListener("hashchange", onHash);
    return () => window.removeEventListener("hashchange", onHash);
  }, []);

  const latest = useRef(0);
  const prepare = async (p: { work: string; recipients: Proposal["recipients"]; deadline?: string; consents?: Proposal["consents"] }) => {
    if (!address) return null;
    setError(null);
    const mine = ++latest.current;
    try {
      const { prepareSplitChange } = await request(PREPARE_SPLIT, { input: { from: address, work: p.work, recipients: p.recipients, deadline: p.deadline ?? null, consents: p.consents ?? [] } });
      if (mine !== latest.current) return null; // a newer preparation is on its way
      setPrepared(prepareSplitChange);
      const next = { work: p.work, recipients: p.recipients, deadline: prepareSplitChange.deadline, consents: p.consents ?? [] };
      save(next);
      setProposal(next);
      return prepareSplitChange;
    } catch (err) {
      setError(err);
      return null;
    }
  };

  // Re-prepare a stored proposal (with any consents collected) once the wallet is there.
  useEffect(() => {
    if (address && proposal && !prepared) void prepare(proposal);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [address, proposal]);

  const consentLink = (c: Prepared["consents"][number]) =>
    `${location.origin}/consent#${encodeJson({ work: prepared!.workId, title: selected?.title ?? null, recipient: c.recipient, currentShareBps: c.currentShareBps, newShareBps: c.newShareBps, typedData: c.typedData, returnTo: `${location.origin}/studio` } satisfies ConsentRequest)}`;

  const apply = async () => {
    if (!prepared) return;
    if (await tx.run(prepared.transactions)) {
      save(null);
      setProposal(null);
      setPrepared(null);
      setRows([]);
      onChanged();
    }
  };

  return (
    <section aria-labelledby="split-title" className="panel">
      <h2 id="split-title">{t("studio.splitTitle")}</h2>
      {works.length === 0 ? (
        <p>{t("studio.noWorks")}</p>
      ) : (
        <>
          <label>
            {t("studio.work")}
            <select
              name="work"
              value={selected?.id ?? ""}
              onChange={(e) => {
                setWork(e.target.value);
                setRows([]);
                setPrepared(null);
              }}
            >
              {works.map((w) => (
                <option key={w.id} value={w.id}>
                  #{w.id} {w.title}
                </option>
              ))}
            </select>
          </label>
          <SplitEditor rows={rows} onChange={setRows} idPrefix="change" />
          <button type="button" disabled={!address || !selected} onClick={() => selected && void prepare({ work: selected.id, recipients: rowsToRecipients(rows) })}>
            {t("studio.splitPrepare")}
          </button>
        </>
      )}
      {error != null && <ErrorMessage error={error} />}
      {prepared && (
        <div className="split-consents" aria-live="polite">
          {prepared.consents.length > 0 && <p>{t("studio.consentsNeeded")}</p>}
          <ul className="plain">
            {prepared.consents.map((c) => (
              <li key={c.recipient}>
                <Address value={c.recipient} /> {percent(c.currentShareBps, lang)} → {percent(c.newShareBps, lang)}:{" "}
                {c.signed ? (
                  <strong>{t("studio.consentSigned")}</strong>
                ) : (
                  <a href={consentLink(c)} data-testid="consent-link">
                    {t("studio.consentLink")}
                  </a>
                )}
              </li>
            ))}
          </ul>
          {prepared.missing.length === 0 && prepared.transactions.length > 0 && (
            <button type="button" disabled={tx.busy} onClick={() => void apply()}>
              {t("studio.splitApply")}
            </button>
          )}
        </div>
      )}
      <TxProgress step={tx.step} />
      {tx.error != null && <ErrorMessage error={tx.error} />}
    </section>
  );
}
