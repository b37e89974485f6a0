import { useState, type DragEvent } from "react";
import { useAccount } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { graphql, request } from "../lib/graphql";
import { Link } from "../lib/router";
import { uploadWork } from "../lib/upload";
import { useTransactions } from "../lib/useTransactions";
import { checkWorkFolder, filesFromDrop, type CheckedFolder, type FolderIssue } from "../lib/workFolder";
import { ErrorMessage } from "./ErrorMessage";
import { rowsToRecipients, SplitEditor, type SplitRow } from "./SplitEditor";
import { TxProgress } from "./TxProgress";

const REGISTERED = graphql(`query RegisteredWorks($owner: String!) { works(owner: $owner, first: 100) { id registrationTx title } }`);

/** Drop a work folder, check it, set the split, upload to IPFS and sign the registration. */
export function RegisterWork({ onRegistered }: { onRegistered: () => void }) {
  const { t } = useI18n();
  const { address } = useAccount();
  const [folder, setFolder] = useState<CheckedFolder | null>(null);
  const [issues, setIssues] = useState<FolderIssue[]>([]);
  const [rows, setRows] = useState<SplitRow[]>([{ account: "", percent: "100" }]);
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [registered, setRegistered] = useState<{ id: string; title: string | null } | null>(null);
  const [dragging, setDragging] = useState(false);
  const tx = useTransactions();

  const take = async (files: File[]) => {
    setRegistered(null);
    const { folder: f, issues: found } = await checkWorkFolder(files);
    setFolder(f);
    setIssues(found);
    if (f && address && rows.length === 1 && !rows[0]!.account) setRows([{ account: address, percent: "100" }]);
  };
  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    await take(await filesFromDrop(e.dataTransfer));
  };
  const submit = async () => {
    if (!folder || !address) return;
    setError(null);
    try {
      setProgress(0);
      const result = await uploadWork({ from: address, metadata: folder.metadataText, files: folder.files, split: rowsToRecipients(rows) }, (sent, total) => setProgress(Math.round((sent / total) * 100)));
      setProgress(100);
      const done = await tx.run([result.transaction]);
      if (!done) return;
      const { works } = await request(REGISTERED, { owner: address });
      const work = works.find((w) => w.registrationTx.toLowerCase() === done.hashes[0]!.toLowerCase());
      if (work) setRegistered({ id: work.id, title: work.title });
      onRegistered();
    } catch (err) {
      setError(err);
      setProgress(null);
    }
  };

  return (
    <section aria-labelledby="register-title" className="panel">
      <h2 id="register-title">{t("studio.registerTitle")}</h2>
      <p>{t("studio.registerHelp")}</p>
      <div
        className={`dropzone${dragging ? " dragging" : ""}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => void onDrop(e)}
      >
        <p>{t("studio.drop")}</p>
        <label className="file-input">
          {t("studio.chooseFiles")}
          <input
            type="file"
            multiple
            data-testid="work-files"
            onChange={(e) => {
              const files = [...(e.target.files ?? [])];
              e.target.value = ""; // choosing the same (fixed) files again must check them again
              void take(files);
            }}
          />
        </label>
      </div>
      {issues.length > 0 && (
        <div role="alert" className="error">
          <p>{t("studio.folderProblems")}</p>
          <ul>
            {issues.map((i, n) => (
              <li key={n}>
                <code>{i.path}</code>: {i.reason}
              </li>
            ))}
          </ul>
        </div>
      )}
      {folder && (
        <>
          <p className="ok" role="status">
            {t("studio.folderOk", { title: folder.title, n: folder.files.length })}
          </p>
          <SplitEditor rows={rows} onChange={setRows} idPrefix="register" />
          <button type="button" disabled={!address || tx.busy || progress !== null && progress < 100} onClick={() => void submit()}>
            {t("studio.register")}
          </button>
        </>
      )}
      {progress !== null && (
        <label className="progress">
          {t("studio.uploading")}
          <progress max={100} value={progress} />
        </label>
      )}
      <TxProgress step={tx.step} />
      {error != null && <ErrorMessage error={error} />}
      {tx.error != null && <ErrorMessage error={tx.error} />}
      {registered && (
        <p className="ok" role="status">
          {t("studio.registered", { id: registered.id })} <Link href={`/works/${registered.id}`}>{registered.title}</Link>
        </p>
      )}
    </section>
  );
}
