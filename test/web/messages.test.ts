/**
 * The web app's message formatting (web/src/i18n/format-message.ts) and its message files:
 * placeholders, ICU plural forms chosen by each language's plural rules, and the two languages
 * asking for the same variables in every message.
 */
import { expect } from "chai";
import { formatMessage, placeholders } from "../../web/src/i18n/format-message";
import en from "../../web/src/i18n/en.json";
import de from "../../web/src/i18n/de.json";

describe("web: messages", () => {
  it("default: {name} is filled from the variables; one without a value stays visible", () => {
    expect(formatMessage("en", "Licences from {price}", { price: "0.01 ETH" })).to.equal("Licences from 0.01 ETH");
    expect(formatMessage("en", "Hello {who}", {})).to.equal("Hello {who}");
    expect(formatMessage("en", "no placeholders")).to.equal("no placeholders");
  });

  it("behavior: a plural picks the language's form, # is the count formatted for the language, =N wins over the category", () => {
    const text = "{n, plural, =0 {no licence} one {# licence} other {# licences}} sold";
    expect(formatMessage("en", text, { n: 0 })).to.equal("no licence sold");
    expect(formatMessage("en", text, { n: 1 })).to.equal("1 licence sold");
    expect(formatMessage("en", text, { n: 2 })).to.equal("2 licences sold");
    expect(formatMessage("en", text, { n: 1234 })).to.equal("1,234 licences sold");
    expect(formatMessage("de", de["offer.unlimited"], { sold: 1 })).to.equal("Bisher 1 Lizenz verkauft; keine Obergrenze.");
    expect(formatMessage("de", de["offer.unlimited"], { sold: 1234 })).to.equal("Bisher 1.234 Lizenzen verkauft; keine Obergrenze.");
    expect(formatMessage("en", en["offer.unlimited"], { sold: 1 })).to.equal("1 licence sold so far; no limit.");
    // A count that arrives as text (GraphQL BigInt) is still a count.
    expect(formatMessage("en", en["work.revenue"], { gross: "0.01 ETH", n: "1" })).to.equal("0.01 ETH paid for 1 licence");
    // Other placeholders inside a branch are filled; a # in a filled value is left alone.
    expect(formatMessage("en", "{n, plural, one {# file in {title}} other {# files in {title}}}", { n: 1, title: "#1 hits" })).to.equal("1 file in #1 hits");
  });

  it("error: a malformed message names what is wrong", () => {
    expect(() => formatMessage("en", "{n, plural, one {# x}}", { n: 1 })).to.throw(SyntaxError, /needs an `other` branch/);
    expect(() => formatMessage("en", "{n, plural, some {x} other {y}}", { n: 1 })).to.throw(SyntaxError, /bad plural selector `some`/);
    expect(() => formatMessage("en", "{n", { n: 1 })).to.throw(SyntaxError, /unclosed/);
  });

  it("behavior: every message parses, and English and German use the same variables, counted ones as plurals in both", () => {
    const keys = Object.keys(en) as (keyof typeof en)[];
    expect(Object.keys(de).sort()).to.deep.equal([...keys].sort());
    for (const key of keys) {
      expect(placeholders(de[key]), key).to.deep.equal(placeholders(en[key]));
      // A count shown with a noun is a plural: no bare placeholder right before a counted noun.
      expect(en[key], key).to.not.match(/\{\w+\} (licences?|works?|days?|seconds?|rows?|files?|offers?|periods?|transactions?)\b/);
      expect(de[key], key).to.not.match(/\{\w+\} (Lizenz(en)?|Werke?|Tage?n?|Sekunden?|Zeilen?|Dateien|Datei|Angebote?|Zeitr(au|äu)men?|Transaktion(en)?)\b/);
    }
    expect(placeholders(en["studio.workLine"])).to.deep.equal({ offers: "plural", licences: "plural" });
  });
});
