/**
 * The world map of offer territories, prepared at build time (vite.config.ts: `virtual:world-map`).
 *
 * The data: @svg-maps/world 2.0.0 (pinned exactly in package.json; CC BY 4.0, © Victor Cazanave,
 * shown under the map): 256 country outlines as pre-projected SVG paths keyed by ISO 3166-1
 * alpha-2 code, so no projection library and no numeric-code table is needed, and small states
 * (Andorra, Monaco, Singapore…) are present, unlike Natural Earth's 110 m world-atlas. Its 1.2 MB
 * of paths (390 kB gzipped) are far more detail than a 1010 × 666 map shows, so `simplifyPath`
 * rounds every point to 0.1 unit on absolute coordinates (no drift) and drops points closer than
 * `tolerance` to the last one kept. The result is bundled into the map's own chunk, loaded only
 * when a work page shows a map; nothing is fetched from the internet at run time.
 *
 * Pure functions (no Node APIs): test/web/world-map.test.ts pins them.
 */

export interface MapCountry {
  /** ISO 3166-1 alpha-2, upper case ("XK" for Kosovo, which has no assigned code). */
  id: string;
  /** SVG path data in the map's viewBox. */
  d: string;
  /** The centre of a country too small to see (its outline under `dotBelow` units): drawn as a dot when highlighted. */
  dot?: [number, number];
}

export interface WorldMap {
  viewBox: string;
  countries: MapCountry[];
}

export interface SourceMap {
  viewBox: string;
  locations: readonly { id: string; path: string }[];
}

/**
 * Ids of the source that are parts of one ISO 3166-1 code: the United States Minor Outlying
 * Islands (um-dq, um-fq, …) are UM; the Glorioso Islands (go) and Juan de Nova (ju) belong to the
 * French Southern Territories (TF).
 */
export function isoCodeOf(sourceId: string): string {
  const id = sourceId.toLowerCase();
  if (id.startsWith("um-")) return "UM";
  if (id === "go" || id === "ju") return "TF";
  return id.toUpperCase();
}

/** The rings of a path as absolute points, in tenths of a unit (integers). Only `m`/`M`, `l`/`L` (implicit) and `z`/`Z` occur in the source. */
export function parsePath(d: string): [number, number][][] {
  const tokens = d.match(/[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi) ?? [];
  const rings: [number, number][][] = [];
  let ring: [number, number][] = [];
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;
  let command = "";
  let first = true;
  for (let i = 0; i < tokens.length; ) {
    const token = tokens[i]!;
    if (/^[A-Za-z]$/.test(token)) {
      if (token === "z" || token === "Z") {
        if (ring.length > 0) rings.push(ring);
        ring = [];
        x = startX;
        y = startY;
        command = "";
      } else if (token !== "e" && token !== "E") {
        command = token;
      }
      i++;
      continue;
    }
    if (!command) throw new Error(`path data: a number without a command at token ${i}`);
    const dx = Number(token);
    const dy = Number(tokens[i + 1]);
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) throw new Error(`path data: a coordinate pair is incomplete at token ${i}`);
    i += 2;
    const relative = command === "m" || command === "l";
    // A relative moveto that opens the path is absolute (SVG 1.1, 8.3.3).
    if (relative && !(first && command === "m")) {
      x += dx;
      y += dy;
    } else {
      x = dx;
      y = dy;
    }
    first = false;
    if (command === "m" || command === "M") {
      if (ring.length > 0) rings.push(ring);
      ring = [];
      startX = x;
      startY = y;
      // Further pairs after a moveto are linetos of the same kind.
      command = command === "m" ? "l" : "L";
    }
    ring.push([Math.round(x * 10), Math.round(y * 10)]);
  }
  if (ring.length > 0) rings.push(ring);
  return rings;
}

const tenths = (n: number) => {
  const s = (Math.abs(n) / 10).toFixed(1).replace(/\.0$/, "").replace(/^0\./, ".");
  return n < 0 ? `-${s}` : s;
};

/**
 * A path with every point rounded to 0.1 unit and points closer than `tolerance` units to the
 * last point kept dropped; rings that shrink below three points are dropped, unless every ring
 * would be (then the largest stays, so no country vanishes). Relative coordinates are taken
 * between rounded absolute points, so rounding never accumulates.
 */
export function simplifyPath(d: string, tolerance: number): string {
  const limit = (tolerance * 10) ** 2;
  const rings = parsePath(d).map((ring) => {
    const kept: [number, number][] = [];
    for (const p of ring) {
      const last = kept.at(-1);
      if (!last || (p[0] - last[0]) ** 2 + (p[1] - last[1]) ** 2 >= limit) kept.push(p);
    }
    return kept;
  });
  let shown = rings.filter((r) => r.length >= 3);
  if (shown.length === 0) shown = [...rings].sort((a, b) => b.length - a.length).slice(0, 1);
  const out: string[] = [];
  let cx = 0;
  let cy = 0;
  shown.forEach((ring, r) => {
    ring.forEach(([px, py], i) => {
      // The first point is absolute, so paths can be concatenated; every later one relative.
      const part = r === 0 && i === 0 ? `${tenths(px)} ${tenths(py)}` : `${tenths(px - cx)} ${tenths(py - cy)}`;
      const compact = part.replace(/ -/g, "-");
      // After "M" the implicit command is an absolute lineto: "l" makes the next pairs relative.
      if (i === 0) out.push(r === 0 ? `M${compact}l` : `m${compact}`);
      else out.push(i === 1 && r === 0 ? compact : ` ${compact}`.replace(/^ -/, "-"));
      cx = px;
      cy = py;
    });
    out.push("z");
    [cx, cy] = ring[0]!;
  });
  return out.join("");
}

/** The outline's bounding box in units: [minX, minY, maxX, maxY]. */
export function boundingBox(d: string): [number, number, number, number] {
  const points = parsePath(d).flat();
  const xs = points.map((p) => p[0] / 10);
  const ys = points.map((p) => p[1] / 10);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The source map as the web app bundles it: one entry per ISO code, simplified paths, dots for tiny countries. */
export function buildWorldMap(source: SourceMap, options: { tolerance: number; dotBelow: number }): WorldMap {
  const byCode = new Map<string, string[]>();
  for (const location of source.locations) {
    const code = isoCodeOf(location.id);
    byCode.set(code, [...(byCode.get(code) ?? []), location.path]);
  }
  const countries = [...byCode].sort(([a], [b]) => a.localeCompare(b)).map(([id, paths]): MapCountry => {
    const whole = paths.join(" ");
    const [x0, y0, x1, y1] = boundingBox(whole);
    const country: MapCountry = { id, d: paths.map((p) => simplifyPath(p, options.tolerance)).join("") };
    if (Math.max(x1 - x0, y1 - y0) < options.dotBelow) country.dot = [Math.round((x0 + x1) * 5) / 10, Math.round((y0 + y1) * 5) / 10];
    return country;
  });
  return { viewBox: source.viewBox, countries };
}
