import { expect } from "chai";
import { codeProblem } from "../../../lib/fhir";
import { loincCheckValid, verhoeffValid } from "../../../lib/fhir/codeChecks";
import { readDate } from "../../../lib/fhir/dateChecks";
import { FieldChecks } from "../../../lib/fhir/formChecks";
import { expectPlainLanguage, NOW } from "./fixtures";

const rule = { what: "the date the condition started", time: true, past: true };

describe("fhir field checks (dates, numbers, codes from forms)", function () {
  describe("dates", function () {
    it("keeps full and partial dates as written, since people often remember only the year or month", function () {
      for (const d of ["2019-04-02", "2019-04", "2019"]) expect(readDate(d, rule, NOW)).to.deep.equal({ kind: "ok", value: d });
    });

    it("adds the seconds FHIR requires to a date-time with a zone, and reads Date objects in UTC", function () {
      expect(readDate("2026-01-20T08:30+01:00", rule, NOW)).to.deep.equal({ kind: "ok", value: "2026-01-20T08:30:00+01:00" });
      expect(readDate(new Date("2026-01-20T08:30:00Z"), rule, NOW)).to.deep.equal({ kind: "ok", value: "2026-01-20T08:30:00.000Z" });
      expect(readDate(new Date("2026-01-20T08:30:00Z"), { what: "the date of birth" }, NOW)).to.deep.equal({
        kind: "ok",
        value: "2026-01-20",
      });
    });

    it("refuses impossible, future, zone-less and unreadable dates with a sentence naming the field", function () {
      const bad = (input: string | Date, r = rule) => {
        const reading = readDate(input, r, NOW);
        if (reading.kind !== "bad") expect.fail(`${String(input)} was accepted`);
        return reading.message;
      };
      expect(bad("2019-02-30")).to.equal("2019-02-30 is not a real date: check the day and month of the date the condition started.");
      expect(bad("2019-13")).to.contain("check the month");
      expect(bad("2027-01-01")).to.equal("The date the condition started is in the future: check the date.");
      expect(bad("2026-01-20T08:30")).to.contain("Add the time zone");
      expect(bad("last spring")).to.equal(
        "Enter the date the condition started as a date like 2026-01-20, or a date and time with its time zone.",
      );
      expect(bad("02/04/2019")).to.contain("as a date like");
      expect(bad("1850-01-01")).to.contain("before 1900");
      expect(bad(new Date("nonsense"))).to.contain("as a date like");
      expect(bad("2026-01-20T08:30:00Z", { what: "the date of birth", time: false, past: true })).to.contain("without a time");
    });

    it("accepts today even where the person's day is ahead of UTC", function () {
      expect(readDate("2026-03-02", rule, new Date("2026-03-01T13:00:00Z")).kind).to.equal("ok");
      expect(readDate("2026-03-03", rule, new Date("2026-03-01T13:00:00Z")).kind).to.equal("bad");
    });

    it("treats an empty date as absent, or as missing when the field is required", function () {
      expect(readDate("  ", rule, NOW)).to.deep.equal({ kind: "absent" });
      expect(readDate(undefined, { ...rule, missing: "Enter the date the condition started." }, NOW)).to.deep.equal({
        kind: "bad",
        message: "Enter the date the condition started.",
      });
    });
  });

  describe("numbers", function () {
    it("reads numbers typed into inputs, including a decimal comma", function () {
      const c = new FieldChecks({ now: NOW });
      expect(c.number("dose", "500", { what: "the dose", example: "500" })).to.equal(500);
      expect(c.number("dose", " 0,5 ", { what: "the dose", example: "500" })).to.equal(0.5);
      expect(c.number("dose", 2.5, { what: "the dose", example: "500" })).to.equal(2.5);
      expect(c.errors).to.deep.equal([]);
    });

    it("explains a number that is not one, not whole, or out of range", function () {
      const c = new FieldChecks({ now: NOW });
      c.number("dose", "five hundred", { what: "the dose", example: "500" });
      c.number("refills", "1.5", { what: "the number of refills", example: "2", integer: true });
      c.number("quantity", "0", { what: "the quantity", example: "21", min: 0, exclusive: true });
      c.number("refills2", "120", { what: "the number of refills", example: "2", max: 99 });
      expect(c.errors).to.deep.equal([
        { field: "dose", message: "Enter the dose as a number, for example 500." },
        { field: "refills", message: "The number of refills must be a whole number." },
        { field: "quantity", message: "The quantity must be more than 0." },
        { field: "refills2", message: "The number of refills must be at most 99." },
      ]);
      expectPlainLanguage(c.errors.map((e) => e.message));
    });
  });

  describe("codes", function () {
    it("checks SNOMED CT identifiers by their Verhoeff check digit", function () {
      for (const code of ["195967001", "764146007", "26643006", "47625008", "447694001", "91936005"])
        expect(verhoeffValid(code), code).to.equal(true);
      expect(verhoeffValid("195967002")).to.equal(false);
      expect(verhoeffValid("159967001"), "two digits swapped").to.equal(false);
    });

    it("checks LOINC codes by their mod-10 check digit", function () {
      for (const code of ["4548-4", "48765-2", "11450-4", "10160-0", "60591-5", "2345-7", "18842-5"])
        expect(loincCheckValid(code), code).to.equal(true);
      expect(loincCheckValid("4548-5")).to.equal(false);
    });

    it("says what a well-formed code of each system looks like", function () {
      expect(codeProblem("snomed", "195967001")).to.equal(undefined);
      expect(codeProblem("rxnorm", "723")).to.equal(undefined);
      expect(codeProblem("cvx", "140")).to.equal(undefined);
      expect(codeProblem("loinc", "4548")).to.equal(
        "A LOINC code is digits, a hyphen and one check digit, for example 4548-4. Check it, or leave the code empty.",
      );
      expect(codeProblem("snomed", "195967002")).to.contain("last digit does not match");
      expect(codeProblem("rxnorm", "RX723")).to.contain("RxNorm code is a number");
      expect(codeProblem("cvx", "1400")).to.contain("1 to 3 digits");
    });
  });

  it("refuses a caller-supplied id that FHIR would not accept", function () {
    const c = new FieldChecks({ id: "not an id!", now: NOW });
    expect(c.errors.map((e) => e.field)).to.deep.equal(["id"]);
    expect(new FieldChecks({ now: NOW }).id).to.match(/^[0-9a-f-]{36}$/);
  });
});
