import { expect } from "chai";
import {
  INTERACTION_TABLE,
  PrescribingError,
  SHIPPED_TABLE_SOURCE,
  parseInteractionTable,
  type InteractionTableSource,
} from "../../../lib/prescribing";

/** A deep copy of the shipped table, to break one thing in. */
const copy = (): InteractionTableSource => JSON.parse(JSON.stringify(SHIPPED_TABLE_SOURCE)) as InteractionTableSource;

function expectBadTable(table: unknown, message: RegExp): void {
  try {
    parseInteractionTable(table);
  } catch (error) {
    expect(error).to.be.instanceOf(PrescribingError);
    expect((error as PrescribingError).code).to.equal("BAD_TABLE");
    expect((error as Error).message).to.match(message);
    return;
  }
  expect.fail("expected a BAD_TABLE error");
}

describe("the interaction table", function () {
  const { rules, sources } = SHIPPED_TABLE_SOURCE;

  it("has every entry name a public source that the table cites in full", function () {
    for (const rule of rules) {
      expect(rule.sources.length, rule.id).to.be.greaterThan(0);
      for (const id of rule.sources) {
        const source = sources.find((s) => s.id === id);
        expect(source, `${rule.id} cites ${id}`).to.not.equal(undefined);
        expect(source!.citation.length, id).to.be.greaterThan(20);
      }
      const finding = INTERACTION_TABLE.sources.get(rule.sources[0]);
      expect(finding?.citation).to.equal(sources.find((s) => s.id === rule.sources[0])?.citation);
    }
  });

  it("gives every rule a one-line effect and a severity", function () {
    for (const rule of rules) {
      expect(rule.effect, rule.id).to.match(/^[A-Z][^\n]{20,140}\.$/);
      expect(["contraindicated", "major", "moderate"]).to.include(rule.severity);
    }
  });

  it("holds 25 to 40 rules, of all three kinds", function () {
    expect(rules.length).to.be.within(25, 40);
    const count = (kind: string) => rules.filter((r) => r.kind === kind).length;
    expect([count("drug-drug"), count("drug-allergy"), count("drug-condition")]).to.deep.equal([24, 6, 7]);
  });

  it("keys ingredients by the RxNorm ingredient codes checked against public lists", function () {
    const rxcui = (name: string) => INTERACTION_TABLE.ingredients.get(name)?.rxcui;
    expect([rxcui("warfarin"), rxcui("ibuprofen"), rxcui("propranolol"), rxcui("albuterol")]).to.deep.equal([
      "11289",
      "5640",
      "8787",
      "435",
    ]);
    expect(INTERACTION_TABLE.conditionGroups.get("asthma")?.snomed).to.include("195967001");
    const unverified = SHIPPED_TABLE_SOURCE.ingredients.filter((i) => i.codeCheck === "unverified").map((i) => i.name);
    expect(unverified, "each says so in its entry").to.include("ketorolac");
  });

  it("loads the same table from JSON", function () {
    const reloaded = parseInteractionTable(JSON.parse(JSON.stringify(SHIPPED_TABLE_SOURCE)));
    expect(reloaded.rules.map((r) => r.rule.id)).to.deep.equal(rules.map((r) => r.id));
  });

  describe("refuses a table that is broken", function () {
    it("a rule naming an ingredient the table does not have", function () {
      const table = copy();
      table.rules[0] = {
        ...table.rules[0],
        kind: "drug-drug",
        a: { ingredients: ["warfarine"] },
        b: { classes: ["nsaid"] },
      } as (typeof table.rules)[0];
      expectBadTable(table, /ddi-warfarin-nsaid names "warfarine", which is not an ingredient/);
    });

    it("a rule citing a source the table does not list", function () {
      const table = copy();
      table.rules[1].sources = ["a-blog-post"];
      expectBadTable(table, /cites source "a-blog-post"/);
    });

    it("a rule without a source", function () {
      const table = copy();
      table.rules[2].sources = [];
      expectBadTable(table, /rules\.2\.sources: every rule names at least one source/);
    });

    it("two rules with one id", function () {
      const table = copy();
      table.rules[3].id = table.rules[4].id;
      expectBadTable(table, /duplicate rule id/);
    });

    it("a condition group that does not exist", function () {
      const table = copy();
      const rule = table.rules.find((r) => r.kind === "drug-condition")!;
      if (rule.kind === "drug-condition") rule.condition = "gout";
      expectBadTable(table, /condition group "gout"/);
    });

    it("a class no ingredient belongs to", function () {
      const table = copy();
      table.ingredients = table.ingredients.map((i) => ({ ...i, classes: i.classes?.filter((c) => c !== "fluoroquinolone") }));
      expectBadTable(table, /no ingredient is in class "fluoroquinolone"/);
    });

    it("an ingredient name not in canonical form, an RxCUI given twice, or a field of the wrong shape", function () {
      const named = copy();
      named.ingredients[0].name = "Warfarin";
      expectBadTable(named, /must be written "warfarin"/);
      const twice = copy();
      twice.ingredients[1].rxcui = twice.ingredients[0].rxcui;
      expectBadTable(twice, /RxCUI 11289 is given to two ingredients/);
      const shape = copy() as unknown as { rules: { severity: string }[] };
      shape.rules[0].severity = "severe";
      expectBadTable(shape, /rules\.0\.severity/);
    });
  });
});
