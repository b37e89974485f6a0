import { useState } from "react";
import { useI18n } from "../i18n/i18n";
import { ipfsUrl } from "../lib/format";

/**
 * The audio master from the IPFS gateway, loaded only when played. `deferred` (the catalogue's
 * cards) shows a small button first and mounts the player when it is pressed: a page of hundreds
 * of cards then has no media controls to lay out and paint while it scrolls.
 */
export function AudioPreview({ cid, title, deferred = false }: { cid: string; title: string; deferred?: boolean }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(!deferred);
  if (!open) {
    return (
      <button type="button" className="secondary audio-play" aria-label={t("work.listen", { title })} onClick={() => setOpen(true)}>
        ▶ {t("catalogue.preview")}
      </button>
    );
  }
  return <audio className="audio-preview" controls preload="none" autoPlay={deferred} src={ipfsUrl(cid)} aria-label={t("work.listen", { title })} />;
}
