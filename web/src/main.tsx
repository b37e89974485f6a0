import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { WagmiProvider } from "wagmi";
import { App } from "./App";
import { I18nProvider } from "./i18n/i18n";
import { adoptApiKeyFromFragment } from "./lib/apiKey";
import { ApiError } from "./lib/graphql";
import { wagmiConfig } from "./lib/wallet";
import "./styles.css";

adoptApiKeyFromFragment();

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 5_000,
      // Bad input and missing things do not get better by asking again.
      retry: (count, err) => count < 2 && !(err instanceof ApiError && ["BAD_USER_INPUT", "NOT_FOUND", "UNAUTHENTICATED", "FORBIDDEN"].includes(err.code)),
    },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <WagmiProvider config={wagmiConfig}>
      <QueryClientProvider client={queryClient}>
        <I18nProvider>
          <App />
        </I18nProvider>
      </QueryClientProvider>
    </WagmiProvider>
  </StrictMode>,
);
