import { expect } from "chai";
import { authorsOf, checkTimelineFilter, filterTimeline, newestFirst, type TimelineItem } from "../../../lib/fhir";

const items: TimelineItem[] = [
  { category: 1, kind: "Condition", title: "Asthma", date: "2019-04-02", author: "Dr. Alice Chen", summary: "Active" },
  { category: 2, kind: "Allergy", title: "Penicillin", date: "2021", author: "Jane Doe", summary: "High risk · Anaphylaxis" },
  { category: 3, kind: "Prescription", title: "Amoxicillin — 500 mg", date: "2026-03-01T10:00:00Z", author: "Dr. Alice Chen" },
  { category: 4, kind: "Lab result", title: "HbA1c 6.1 %", date: "2026-01-20T08:30:00+01:00", author: "Riverside Lab" },
  { category: 6, kind: "Vaccination", title: "Café-Grippe vaccine", author: "Nurse Kim" },
];
const titles = (list: TimelineItem[]) => list.map((i) => i.title);

describe("timeline search (pure filters over described records)", function () {
  it("matches every word of a search in any field, ignoring case and accents", function () {
    expect(titles(filterTimeline(items, { text: "ALICE asthma" }))).to.deep.equal(["Asthma"]);
    expect(titles(filterTimeline(items, { text: "anaphylaxis" }))).to.deep.equal(["Penicillin"]);
    expect(titles(filterTimeline(items, { text: "cafe" }))).to.deep.equal(["Café-Grippe vaccine"]);
    expect(titles(filterTimeline(items, { text: "lab results" })), "category labels are searchable").to.deep.equal(["HbA1c 6.1 %"]);
    expect(filterTimeline(items, { text: "asthma penicillin" })).to.deep.equal([]);
  });

  it("filters by categories and by author", function () {
    expect(titles(filterTimeline(items, { categories: [2, 3] }))).to.deep.equal(["Penicillin", "Amoxicillin — 500 mg"]);
    expect(titles(filterTimeline(items, { author: "dr. alice chen" }))).to.deep.equal(["Asthma", "Amoxicillin — 500 mg"]);
    expect(filterTimeline(items, { categories: [] })).to.have.length(items.length);
  });

  it("filters by a date range, inclusive, with partial dates matching when their span overlaps", function () {
    expect(titles(filterTimeline(items, { from: "2021-06-01", to: "2026-01-20" }))).to.deep.equal(["Penicillin", "HbA1c 6.1 %"]);
    expect(titles(filterTimeline(items, { from: "2026-03-01" }))).to.deep.equal(["Amoxicillin — 500 mg"]);
    expect(titles(filterTimeline(items, { to: "2019-04-02" }))).to.deep.equal(["Asthma"]);
    expect(titles(filterTimeline(items, { from: "2021-12", to: "2021-12" }))).to.deep.equal(["Penicillin"]);
  });

  it("combines filters", function () {
    expect(titles(filterTimeline(items, { author: "Dr. Alice Chen", from: "2020-01-01", text: "amoxicillin" }))).to.deep.equal([
      "Amoxicillin — 500 mg",
    ]);
  });

  it("orders newest first by the instant a date means, undated last", function () {
    expect(titles(newestFirst(items))).to.deep.equal([
      "Amoxicillin — 500 mg",
      "HbA1c 6.1 %",
      "Penicillin",
      "Asthma",
      "Café-Grippe vaccine",
    ]);
    // 23:30 in New York is later than 02:00 UTC the same night, though it sorts lower as text.
    expect(newestFirst([{ date: "2026-01-21T02:00:00Z" }, { date: "2026-01-20T23:30:00-05:00" }])[0].date).to.equal(
      "2026-01-20T23:30:00-05:00",
    );
  });

  it("lists the authors to filter by", function () {
    expect(authorsOf(items)).to.deep.equal(["Dr. Alice Chen", "Jane Doe", "Nurse Kim", "Riverside Lab"]);
  });

  it("checks a search form's dates in words", function () {
    expect(checkTimelineFilter({ from: "2026-01-01", to: "2025-01-01" })).to.deep.equal([
      { field: "to", message: "The last date to show is before the first one." },
    ]);
    expect(checkTimelineFilter({ from: "yesterday" })[0]).to.deep.include({ field: "from" });
    expect(checkTimelineFilter({ from: "2025", to: "2026-02" })).to.deep.equal([]);
  });
});
