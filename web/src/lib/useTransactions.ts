import { useCallback, useState } from "react";
import type { Hex } from "viem";
import { sendPrepared, type PreparedTransaction, type TxStep } from "./wallet";

/** Sends prepared transactions with the wallet, exposing progress and the error for the page. */
export function useTransactions() {
  const [step, setStep] = useState<TxStep | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (txs: readonly PreparedTransaction[]): Promise<{ hashes: Hex[]; block: number } | null> => {
    setError(null);
    setBusy(true);
    try {
      return await sendPrepared(txs, setStep);
    } catch (err) {
      setError(err);
      setStep(null);
      return null;
    } finally {
      setBusy(false);
    }
  }, []);
  return { step, error, busy, run, setError };
}
