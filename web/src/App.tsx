import { lazy, Suspense } from "react";
import { useI18n } from "./i18n/i18n";
import { Link, useLocation } from "./lib/router";
import { LanguageSwitch } from "./components/LanguageSwitch";
import { WalletButton } from "./components/WalletButton";
import { CataloguePage } from "./pages/CataloguePage";

// Pages other than the catalogue load on first visit (smaller first load).
const WorkPage = lazy(() => import("./pages/WorkPage").then((m) => ({ default: m.WorkPage })));
const BuyPage = lazy(() => import("./pages/BuyPage").then((m) => ({ default: m.BuyPage })));
const CertificatePage = lazy(() => import("./pages/CertificatePage").then((m) => ({ default: m.CertificatePage })));
const VerifyPage = lazy(() => import("./pages/VerifyPage").then((m) => ({ default: m.VerifyPage })));
const StudioPage = lazy(() => import("./pages/StudioPage").then((m) => ({ default: m.StudioPage })));
const ConsentPage = lazy(() => import("./pages/ConsentPage").then((m) => ({ default: m.ConsentPage })));
const MyLicencesPage = lazy(() => import("./pages/MyLicencesPage").then((m) => ({ default: m.MyLicencesPage })));

function Page() {
  const { path, search } = useLocation();
  const { t } = useI18n();
  let m: RegExpExecArray | null;
  if (path === "/" || path === "/catalogue") return <CataloguePage />;
  if ((m = /^\/works\/(\d+)$/.exec(path))) return <WorkPage id={m[1]!} />;
  if ((m = /^\/buy\/(\d+)$/.exec(path))) return <BuyPage offerId={m[1]!} />;
  if ((m = /^\/licences\/(\d+)$/.exec(path))) return <CertificatePage id={m[1]!} />;
  if (path === "/verify") return <VerifyPage search={search} />;
  if (path === "/studio") return <StudioPage />;
  if (path === "/consent") return <ConsentPage />;
  if (path === "/my-licences") return <MyLicencesPage />;
  return <h1>{t("common.notFound")}</h1>;
}

const NAV = [
  ["/", "nav.catalogue"],
  ["/verify", "nav.verify"],
  ["/studio", "nav.studio"],
  ["/my-licences", "nav.myLicences"],
] as const;

export function App() {
  const { t } = useI18n();
  const { path } = useLocation();
  return (
    <>
      <a className="skip-link" href="#main">
        {t("nav.skip")}
      </a>
      <header className="site-header no-print">
        <Link href="/" className="brand">
          tantieme
        </Link>
        <nav aria-label={t("nav.main")}>
          <ul>
            {NAV.map(([href, key]) => (
              <li key={href}>
                <Link href={href} aria-current={path === href ? "page" : undefined}>
                  {t(key)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="header-tools">
          <LanguageSwitch />
          <WalletButton />
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p role="status">{t("common.loading")}</p>}>
          <Page />
        </Suspense>
      </main>
      <footer className="site-footer no-print">
        <p>
          {t("footer.text")} <a href="/graphql">GraphQL API</a>
        </p>
      </footer>
    </>
  );
}
