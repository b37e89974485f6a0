import { useState } from "react";
import { useAccount, useConnect, useDisconnect } from "wagmi";
import { useI18n } from "../i18n/i18n";
import { Address } from "./Address";
import { ErrorMessage } from "./ErrorMessage";

/** Connect an injected wallet (found via EIP-6963), show the connected account, disconnect. */
export function WalletButton() {
  const { t } = useI18n();
  const { address, isConnected } = useAccount();
  const { connectors, connect, error, isPending } = useConnect();
  const { disconnect } = useDisconnect();
  const [open, setOpen] = useState(false);
  if (isConnected && address) {
    return (
      <div className="wallet">
        <span className="wallet-account">
          <span className="visually-hidden">{t("wallet.connectedAs")} </span>
          <Address value={address} />
        </span>
        <button type="button" className="secondary" onClick={() => disconnect()}>
          {t("wallet.disconnect")}
        </button>
      </div>
    );
  }
  return (
    <div className="wallet">
      <button type="button" aria-expanded={open} onClick={() => setOpen(!open)} disabled={isPending}>
        {t("wallet.connect")}
      </button>
      {open && (
        <div className="wallet-menu">
          {connectors.length === 0 && <p>{t("wallet.none")}</p>}
          <ul>
            {connectors.map((c) => (
              <li key={c.uid}>
                <button
                  type="button"
                  onClick={() => {
                    connect({ connector: c }, { onSuccess: () => setOpen(false) });
                  }}
                >
                  {c.icon && <img src={c.icon} alt="" width={20} height={20} />} {c.name}
                </button>
              </li>
            ))}
          </ul>
          {error && <ErrorMessage error={error} />}
        </div>
      )}
    </div>
  );
}
