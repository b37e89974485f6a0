/**
 * A test-only EIP-1193 wallet for the browser tests: the page gets a provider object (announced
 * through EIP-6963 like a wallet extension announces itself), and every request it makes is
 * answered here, in the test process, by an ethers Wallet holding a Hardhat test key and sending
 * to the stack's chain. The key never enters the page. Never used outside tests.
 */
import type { BrowserContext } from "playwright-core";
import { ethers } from "ethers";
import { rpcProvider } from "../../../core/chain";

export const TEST_WALLET_NAME = "Test wallet";

const PAGE_SCRIPT = `(() => {
  const listeners = {};
  const provider = {
    isTestWallet: true,
    async request({ method, params }) {
      const r = await window.__testWalletRequest(method, params ?? []);
      if (r && r.error) { const e = new Error(r.error.message); e.code = r.error.code; throw e; }
      return r.result;
    },
    on(ev, fn) { (listeners[ev] = listeners[ev] || []).push(fn); return provider; },
    removeListener(ev, fn) { listeners[ev] = (listeners[ev] || []).filter((f) => f !== fn); return provider; },
  };
  const info = Object.freeze({
    uuid: "6f0b1c2e-7d1a-4c3e-9a51-000000000001",
    name: ${JSON.stringify(TEST_WALLET_NAME)},
    icon: "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 8 8'%3E%3Crect width='8' height='8' fill='%23555'/%3E%3C/svg%3E",
    rdns: "org.tantieme.testwallet",
  });
  const announce = () => window.dispatchEvent(new CustomEvent("eip6963:announceProvider", { detail: Object.freeze({ info, provider }) }));
  window.addEventListener("eip6963:requestProvider", announce);
  announce();
})();`;

export interface TestWallet {
  address: string;
  /** Every method the page asked for, in order (for assertions). */
  calls: string[];
}

/** Installs the wallet into every page of `context`, backed by `privateKey` on `rpcUrl`. */
export async function installTestWallet(context: BrowserContext, privateKey: string, rpcUrl: string, chainId = 31337): Promise<TestWallet> {
  const provider = rpcProvider(rpcUrl, chainId);
  const wallet = new ethers.Wallet(privateKey, provider);
  const calls: string[] = [];
  // Like a real wallet: no accounts for the site until it asked for them (then remembered).
  let authorized = false;
  const answer = async (method: string, params: unknown[]): Promise<unknown> => {
    switch (method) {
      case "eth_requestAccounts":
        authorized = true;
        return [wallet.address];
      case "eth_accounts":
        return authorized ? [wallet.address] : [];
      case "eth_chainId":
        return ethers.toQuantity(chainId);
      case "net_version":
        return String(chainId);
      case "wallet_requestPermissions":
        authorized = true;
        return [{ parentCapability: "eth_accounts" }];
      case "wallet_revokePermissions":
        authorized = false;
        return null;
      case "wallet_switchEthereumChain": {
        const wanted = Number((params[0] as { chainId: string }).chainId);
        if (wanted !== chainId) throw Object.assign(new Error(`chain ${wanted} is not configured`), { code: 4902 });
        return null;
      }
      case "eth_sendTransaction": {
        const tx = params[0] as { to: string; data?: string; value?: string; gas?: string };
        const sent = await wallet.sendTransaction({ to: tx.to, data: tx.data, value: tx.value ? BigInt(tx.value) : 0n, ...(tx.gas ? { gasLimit: BigInt(tx.gas) } : {}) });
        return sent.hash;
      }
      case "eth_signTypedData_v4": {
        const typed = JSON.parse(params[1] as string) as { domain: ethers.TypedDataDomain; types: Record<string, ethers.TypedDataField[]>; message: Record<string, unknown> };
        const { EIP712Domain: _domain, ...types } = typed.types;
        return wallet.signTypedData(typed.domain, types, typed.message);
      }
      case "personal_sign":
        return wallet.signMessage(ethers.getBytes(params[0] as string));
      default:
        return provider.send(method, params);
    }
  };
  await context.exposeFunction("__testWalletRequest", async (method: string, params: unknown[]) => {
    calls.push(method);
    try {
      return { result: await answer(method, params) };
    } catch (err) {
      const e = err as { code?: unknown; message?: string };
      return { error: { code: typeof e.code === "number" ? e.code : -32603, message: e.message ?? String(err) } };
    }
  });
  await context.addInitScript({ content: PAGE_SCRIPT });
  return { address: wallet.address, calls };
}
