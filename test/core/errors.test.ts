import { expect } from "chai";
import fs from "node:fs";
import path from "node:path";
import { BaseError } from "../../core/errors";
import { FolderLockedError } from "../../scripts/stack/lock";
import { UploadDirError } from "../../server/src/uploadDir";

const ROOT = path.resolve(__dirname, "..", "..");
const SOURCES = ["core", "server/src", "scripts", "subgraph/runtime", "web/src"];

function* typescriptFiles(dir: string): Generator<string> {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist") continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* typescriptFiles(full);
    else if (/\.tsx?$/.test(entry.name)) yield full;
  }
}

describe("core/errors: one base for every typed error", function () {
  it("default: an error carries name, code, details and cause", () => {
    const cause = new Error("EACCES");
    const e = new UploadDirError("/x", "is not writable", { cause });
    expect(e).to.be.instanceOf(BaseError);
    expect(e).to.include({ name: "UploadDirError", code: "UPLOAD_DIR_INVALID" });
    expect(e.details).to.deep.equal({ dir: "/x", problem: "is not writable" });
    expect(e.cause).to.equal(cause);
    const locked = new FolderLockedError("/data", { pid: 7, startTime: null, purpose: "npm start", since: "2026-11-29T00:00:00Z" });
    expect(locked.details.holder.pid).to.equal(7);
  });

  it("error: no class outside core/errors.ts extends Error directly", () => {
    const offenders: string[] = [];
    for (const folder of SOURCES) {
      for (const file of typescriptFiles(path.join(ROOT, folder))) {
        if (file.endsWith(path.join("core", "errors.ts"))) continue;
        const text = fs.readFileSync(file, "utf8");
        for (const [i, line] of text.split("\n").entries()) {
          if (/\bclass\s+\w+(?:<[^>]*>)?\s+extends\s+(?:globalThis\.)?Error\b/.test(line)) offenders.push(`${path.relative(ROOT, file)}:${i + 1}`);
        }
      }
    }
    expect(offenders, "extend BaseError (core/errors.ts) instead").to.deep.equal([]);
  });
});
