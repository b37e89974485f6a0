import { useI18n } from "../i18n/i18n";
import type { TxStep } from "../lib/wallet";

/** Where a signed transaction is: waiting for the wallet, for the block, for the index, done. */
export function TxProgress({ step }: { step: TxStep | null }) {
  const { t } = useI18n();
  if (!step) return null;
  let text: string;
  switch (step.phase) {
    case "sign":
      text = t("tx.sign", { n: step.index + 1, total: step.total, description: step.description });
      break;
    case "mined-wait":
      text = t("tx.mining", { n: step.index + 1, total: step.total });
      break;
    case "index-wait":
      text = t("tx.indexing", { block: step.block });
      break;
    case "done":
      text = t("tx.done", { block: step.block });
      break;
  }
  return (
    <p className={`tx-progress tx-${step.phase}`} role="status" aria-live="polite">
      {text}
    </p>
  );
}
