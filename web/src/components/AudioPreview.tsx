import { useI18n } from "../i18n/i18n";
import { ipfsUrl } from "../lib/format";

/** The audio master from the IPFS gateway, loaded only when played. */
export function AudioPreview({ cid, title }: { cid: string; title: string }) {
  const { t } = useI18n();
  return <audio className="audio-preview" controls preload="none" src={ipfsUrl(cid)} aria-label={t("work.listen", { title })} />;
}
