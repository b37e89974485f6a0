import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import type { LicensedFile } from "../lib/core";
import { downloadTicket, ensureSession, saveFromUrl, sessionOf } from "../lib/delivery";
import { accessOf, fieldOf, fileSize, type FileAccess } from "../lib/licensedAccess";
import { getAccount } from "wagmi/actions";
import { wagmiConfig } from "../lib/wallet";
import { DeliveryErrorMessage } from "./DeliveryErrorMessage";
import { fieldLabel } from "./DeliveryRecordTable";
import { TableHead } from "./TableHead";
import { TableScroll } from "./TableScroll";

export interface LicenceWithFiles {
  id: string;
  workId: string;
  title: string;
  rights: readonly string[];
  status: string;
  files: readonly LicensedFile[];
}

/** For each licence: the licensed files of its work, downloadable when the licence unlocks them, else why not. */
export function LicensedDownloads({ licences }: { licences: readonly LicenceWithFiles[] }) {
  const { t } = useI18n();
  const withFiles = licences.filter((l) => l.files.length > 0);
  return (
    <section aria-labelledby="downloads-title">
      <h2 id="downloads-title">{t("downloads.title")}</h2>
      {withFiles.length === 0 ? (
        <p>{t("downloads.none")}</p>
      ) : (
        <>
          <p className="muted">{t("downloads.lead")}</p>
          {withFiles.map((l) => (
            <LicenceFiles key={l.id} licence={l} />
          ))}
        </>
      )}
    </section>
  );
}

function LicenceFiles({ licence }: { licence: LicenceWithFiles }) {
  const { t } = useI18n();
  const heading = t("downloads.licence", { id: licence.id, title: licence.title });
  return (
    <div className="panel" data-testid={`licence-files-${licence.id}`}>
      <h3 id={`licence-files-${licence.id}`}>{heading}</h3>
      <TableScroll label={heading}>
        <table className="table licensed-files stacked">
          <TableHead columns={[t("downloads.file"), t("downloads.kind"), t("downloads.size"), t("downloads.access")]} />
          <tbody>
            {licence.files.map((f) => (
              <FileRow key={f.cid} licence={licence} file={f} />
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}

type Phase = { phase: "idle" } | { phase: "sign" } | { phase: "download" } | { phase: "done"; filename: string; licence: string | null } | { phase: "error"; error: unknown };

function FileRow({ licence, file }: { licence: LicenceWithFiles; file: LicensedFile }) {
  const { t, lang } = useI18n();
  const queries = useQueryClient();
  const [state, setState] = useState<Phase>({ phase: "idle" });
  const access = accessOf(file, licence);
  const name = file.name ?? file.cid;
  const busy = state.phase === "sign" || state.phase === "download";

  const download = async () => {
    try {
      if (!sessionOf(getAccount(wagmiConfig).address)) setState({ phase: "sign" });
      const session = await ensureSession();
      setState({ phase: "download" });
      const ticket = await downloadTicket(session, licence.workId, file.cid);
      // The browser streams the file to disk itself (its downloads list shows the progress).
      saveFromUrl(ticket.url, ticket.filename);
      setState({ phase: "done", filename: ticket.filename, licence: ticket.licence });
      // The delivery is recorded once the file is sent: refresh My downloads then.
      for (const ms of [2_000, 10_000, 30_000]) setTimeout(() => void queries.invalidateQueries({ queryKey: ["my-deliveries"] }), ms);
    } catch (error) {
      setState({ phase: "error", error });
    }
  };

  return (
    <tr data-testid="licensed-file" data-access={access.kind}>
      <td data-label={t("downloads.file")}>{name}</td>
      <td data-label={t("downloads.kind")}>{fieldLabel(`$.${fieldOf(file)}`, t)}</td>
      <td data-label={t("downloads.size")}>{fileSize(file.size, lang)}</td>
      <td data-label={t("downloads.access")}>
        {access.kind === "unlocked" ? (
          <>
            {/* Named with the file (visible text first, for voice control); no visually hidden span, which would escape the scroll box on a phone. */}
            <button type="button" disabled={busy} aria-label={`${t("downloads.download")} ${name}`} onClick={() => void download()}>
              {t("downloads.download")}
            </button>
            <DownloadStatus state={state} />
          </>
        ) : (
          <p className="locked" data-testid="locked-reason">
            <strong>{t("downloads.locked")}</strong> {lockedReason(access, t, lang)}
          </p>
        )}
      </td>
    </tr>
  );
}

function lockedReason(access: Exclude<FileAccess, { kind: "unlocked" }>, t: ReturnType<typeof useI18n>["t"], lang: "de" | "en"): string {
  if (access.kind === "needs-right") {
    const rights = new Intl.ListFormat(lang, { type: "disjunction" }).format(access.rights.map((r) => t(`right.${r}` as never)));
    return t("downloads.needsRight", { rights });
  }
  return t(`downloads.notInEffect.${access.status}`);
}

function DownloadStatus({ state }: { state: Phase }) {
  const { t, lang } = useI18n();
  switch (state.phase) {
    case "idle":
      return null;
    case "sign":
      return (
        <p role="status" aria-live="polite">
          {t("delivery.confirmInWallet")}
        </p>
      );
    case "download":
      return (
        <p role="status" aria-live="polite">
          {t("downloads.starting")}
        </p>
      );
    case "done":
      return (
        <p role="status" className="ok" data-testid="download-done">
          {state.licence === null ? t("downloads.saving", { name: state.filename }) : t("downloads.savingStamped", { name: state.filename, licence: state.licence })}
        </p>
      );
    case "error":
      return <DeliveryErrorMessage error={state.error} />;
  }
}
