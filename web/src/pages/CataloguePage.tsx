import { useEffect, useMemo, useRef, useState } from "react";
import { useInfiniteQuery } from "@tanstack/react-query";
import { useI18n } from "../i18n/i18n";
import { COUNTRY_CODES, RIGHTS, territoryContains } from "../lib/core";
import { countryName, ETH } from "../lib/format";
import { graphql, request } from "../lib/graphql";
import { WorkCardFields, type WorkCardData } from "../lib/works";
import { WorkCard } from "../components/WorkCard";
import { ErrorMessage } from "../components/ErrorMessage";
import { parseEther } from "viem";

// The API prices a query by fields × list sizes (a list counts its literal `first`, else 100 —
// also for lists of scalars like rights and countries), so the page size is a literal here.
const PAGE = 10;
const WORKS = graphql(
  `
  query CatalogueWorks($search: String, $skip: Int!) {
    works(search: $search, first: 10, skip: $skip) { ...WorkCardFields }
  }
`,
  [WorkCardFields],
);

const BLOCK = 60;

function chunks<T>(list: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

interface Filters {
  kind: string;
  right: string;
  territory: string;
  maxPrice: string;
  currency: string;
}

/** Keeps works with an active offer matching every filter (the API searches title, creators and identifiers). */
export function matches(work: WorkCardData, f: Filters): boolean {
  if (f.kind && work.kind !== f.kind) return false;
  if (!f.right && !f.territory && !f.maxPrice && !f.currency) return true;
  let max: bigint | null = null;
  try {
    max = f.maxPrice ? parseEther(f.maxPrice) : null;
  } catch {
    max = null;
  }
  return work.offers.some(
    (o) =>
      o.status === "Active" &&
      (!f.right || o.rights.includes(f.right as never)) &&
      (!f.territory || territoryContains({ mode: o.territory.mode, countries: [...o.territory.countries] }, f.territory)) &&
      (max === null || BigInt(o.price) <= max) &&
      (!f.currency || (f.currency === "ETH" ? o.currency.toLowerCase() === ETH : o.currency.toLowerCase() !== ETH)),
  );
}

export function CataloguePage() {
  const { t, lang } = useI18n();
  const [search, setSearch] = useState("");
  const [submitted, setSubmitted] = useState("");
  const [filters, setFilters] = useState<Filters>({ kind: "", right: "", territory: "", maxPrice: "", currency: "" });
  const query = useInfiniteQuery({
    queryKey: ["works", submitted],
    initialPageParam: 0,
    queryFn: ({ pageParam, signal }) =>
      request(WORKS, { search: submitted || null, skip: pageParam }, { signal }),
    getNextPageParam: (last, pages) => (last.works.length === PAGE ? pages.length * PAGE : undefined),
  });
  const works = useMemo(() => (query.data?.pages ?? []).flatMap((p) => p.works).filter((w) => matches(w, filters)), [query.data, filters]);
  const countries = useMemo(() => [...COUNTRY_CODES].map((c) => ({ c, name: countryName(c, lang) })).sort((a, b) => a.name.localeCompare(b.name, lang)), [lang]);
  const set = (k: keyof Filters) => (e: { target: { value: string } }) => setFilters({ ...filters, [k]: e.target.value });
  // The next page loads by itself as the end of the list comes near (the button stays, for the
  // keyboard and for browsers without IntersectionObserver).
  const end = useRef<HTMLDivElement>(null);
  const { hasNextPage, isFetchingNextPage, fetchNextPage, isError } = query;
  useEffect(() => {
    const el = end.current;
    if (!el || !hasNextPage || isFetchingNextPage || isError || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) void fetchNextPage();
    }, { rootMargin: "1200px 0px" });
    observer.observe(el);
    return () => observer.disconnect();
  }, [hasNextPage, isFetchingNextPage, isError, fetchNextPage]);

  return (
    <section aria-labelledby="catalogue-title">
      <h1 id="catalogue-title">{t("catalogue.title")}</h1>
      <p className="lead">{t("catalogue.lead")}</p>
      <form
        role="search"
        className="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSubmitted(search.trim());
        }}
      >
        <label>
          {t("catalogue.search")}
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} name="q" aria-describedby="search-help" />
        </label>
        <span id="search-help" className="muted">
          {t("catalogue.searchHelp")}
        </span>
        <button type="submit">{t("catalogue.searchButton")}</button>
      </form>
      <fieldset className="filters">
        <legend>{t("catalogue.filters")}</legend>
        <label>
          {t("catalogue.kind")}
          <select value={filters.kind} onChange={set("kind")}>
            <option value="">{t("catalogue.any")}</option>
            {["SoundRecording", "Composition", "Design", "Other"].map((k) => (
              <option key={k} value={k}>
                {t(`kind.${k}` as never)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("catalogue.right")}
          <select value={filters.right} onChange={set("right")}>
            <option value="">{t("catalogue.any")}</option>
            {RIGHTS.map((r) => (
              <option key={r} value={r}>
                {t(`right.${r}` as never)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("catalogue.territory")}
          <select value={filters.territory} onChange={set("territory")}>
            <option value="">{t("catalogue.any")}</option>
            {countries.map(({ c, name }) => (
              <option key={c} value={c}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("catalogue.maxPrice")}
          <input inputMode="decimal" value={filters.maxPrice} onChange={set("maxPrice")} placeholder="0.05" />
        </label>
        <label>
          {t("catalogue.currency")}
          <select value={filters.currency} onChange={set("currency")}>
            <option value="">{t("catalogue.any")}</option>
            <option value="ETH">ETH</option>
            <option value="TOKEN">{t("catalogue.token")}</option>
          </select>
        </label>
      </fieldset>
      {query.error && <ErrorMessage error={query.error} />}
      {query.isPending && <p role="status">{t("common.loading")}</p>}
      {query.isSuccess && (
        <p role="status" className="muted">
          {t("catalogue.count", { n: works.length })}
        </p>
      )}
      {/* In blocks of 60 cards (whole rows at 1–6 columns), each skipped by the browser while off
          screen (content-visibility): scrolling past hundreds of cards lays out one block, not the
          whole grid, whenever a card comes into view. */}
      <div className="work-blocks">
        {chunks(works, BLOCK).map((block) => (
          <ul className="work-grid" key={block[0]!.id}>
            {block.map((w) => (
              <WorkCard key={w.id} work={w} />
            ))}
          </ul>
        ))}
      </div>
      <div ref={end} />
      {query.hasNextPage && (
        <button type="button" onClick={() => query.fetchNextPage()} disabled={query.isFetchingNextPage}>
          {query.isFetchingNextPage ? t("common.loading") : t("catalogue.more")}
        </button>
      )}
    </section>
  );
}
