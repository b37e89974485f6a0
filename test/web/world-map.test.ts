/**
 * The world map's build-time preparation (web/scripts/world-map.ts, run by vite.config.ts over
 * @svg-maps/world): path parsing, simplification without drift, ISO codes, dots for tiny countries.
 */
import { expect } from "chai";
import fs from "node:fs";
import { COUNTRY_CODES } from "../../core/domain/territory";
import { boundingBox, buildWorldMap, isoCodeOf, parsePath, simplifyPath, type SourceMap } from "../../web/scripts/world-map";

function source(): SourceMap {
  const text = fs.readFileSync(require.resolve("@svg-maps/world"), "utf8").trim().replace(/^export default\s*/, "").replace(/;$/, "");
  return JSON.parse(text) as SourceMap;
}

describe("web: world map data", () => {
  it("default: relative path data becomes absolute points in tenths; a leading m is absolute, m after z is relative to the ring's start", () => {
    expect(parsePath("m 10,20 1,0 0,1 z m 5,5 1,1 z")).to.deep.equal([
      [[100, 200], [110, 200], [110, 210]],
      [[150, 250], [160, 260]],
    ]);
    expect(parsePath("M 1,1 L 2,2 Z")).to.deep.equal([[[10, 10], [20, 20]]]);
    expect(parsePath("m 0,0 10e-1,0 z")).to.deep.equal([[[0, 0], [10, 0]]]);
  });

  it("behavior: simplifying keeps the outline in place (absolute first point, rounding without drift) and drops close points", () => {
    // 100 steps of 0.04: rounding each relative step would lose everything; on absolutes the ring still ends at 4.
    const d = "m 10,10 " + Array.from({ length: 100 }, () => "0.04,0").join(" ") + " 0,4 -4,0 z";
    const simple = simplifyPath(d, 0.5);
    expect(simple.startsWith("M10 10l")).to.equal(true);
    const points = parsePath(simple)[0]!;
    expect(points.length).to.be.lessThan(20);
    expect(points).to.deep.include([140, 100]);
    expect(points.at(-1)).to.deep.equal([100, 140]);
    // Paths concatenate: the second starts absolute.
    expect(parsePath(simplifyPath("m 1,1 5,0 0,5 z", 0.5) + simplifyPath("m 20,20 5,0 0,5 z", 0.5))[1]![0]).to.deep.equal([200, 200]);
  });

  it("error: a number without a command or an incomplete pair", () => {
    expect(() => parsePath("1,2 3,4")).to.throw(/without a command/);
    expect(() => parsePath("m 1,2 3")).to.throw(/incomplete/);
  });

  it("behavior: the source's parts map to ISO codes (UM, TF) and every assigned code but Antarctica is drawn", () => {
    expect(isoCodeOf("um-dq")).to.equal("UM");
    expect(isoCodeOf("go")).to.equal("TF");
    expect(isoCodeOf("de")).to.equal("DE");
    const map = buildWorldMap(source(), { tolerance: 0.8, dotBelow: 4 });
    const ids = new Set(map.countries.map((c) => c.id));
    expect([...COUNTRY_CODES].filter((c) => !ids.has(c))).to.deep.equal(["AQ"]);
    expect([...ids].filter((c) => !COUNTRY_CODES.has(c))).to.deep.equal(["XK"]);
    expect(map.viewBox).to.equal("0 0 1010 666");
    // Germany keeps its place and size; Monaco is a dot; the whole map is a fraction of the source.
    const de = map.countries.find((c) => c.id === "DE")!;
    const [x0, y0, x1, y1] = boundingBox(de.d);
    const [sx0, sy0, sx1, sy1] = boundingBox(source().locations.find((l) => l.id === "de")!.path);
    for (const [a, b] of [[x0, sx0], [y0, sy0], [x1, sx1], [y1, sy1]] as const) expect(Math.abs(a - b)).to.be.lessThan(1);
    expect(de.dot).to.equal(undefined);
    expect(map.countries.find((c) => c.id === "MC")!.dot).to.have.length(2);
    expect(JSON.stringify(map).length).to.be.lessThan(JSON.stringify(source()).length / 4);
  });
});
