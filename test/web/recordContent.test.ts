import { expect } from "chai";
import { classifyRecord, formatBytes, imageMime } from "../../web/src/components/recordContent";
import { suggestedCategory } from "../../web/src/views/patient/suggestedCategory";

const bytes = (...b: number[]): Uint8Array => new Uint8Array(b);
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

describe("classifyRecord (how a decrypted record is shown)", function () {
  it("shows FHIR JSON as cards, a Bundle as its entries", function () {
    const one = classifyRecord(utf8('{"resourceType":"Condition","code":{"text":"Asthma"}}'));
    expect(one.kind).to.equal("fhir");
    expect(one.kind === "fhir" && [one.bundle, one.resources.length]).to.deep.equal([false, 1]);
    const bundle = classifyRecord(
      utf8('{"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient"}},{"resource":{"resourceType":"Condition"}}]}'),
    );
    expect(bundle.kind === "fhir" && [bundle.bundle, bundle.resources.map((r) => r.resourceType)]).to.deep.equal([
      true,
      ["Patient", "Condition"],
    ]);
  });

  it("offers a PDF as a download, by its %PDF- magic", function () {
    expect(classifyRecord(utf8("%PDF-1.7\n…"))).to.deep.equal({ kind: "pdf", mime: "application/pdf" });
  });

  it("shows PNG, JPEG, GIF and WebP images inline", function () {
    expect(imageMime(bytes(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0))).to.equal("image/png");
    expect(imageMime(bytes(0xff, 0xd8, 0xff, 0xe0))).to.equal("image/jpeg");
    expect(imageMime(utf8("GIF89a"))).to.equal("image/gif");
    expect(imageMime(utf8("RIFF\0\0\0\0WEBPVP8 "))).to.equal("image/webp");
    expect(classifyRecord(bytes(0xff, 0xd8, 0xff, 0xdb, 1, 2))).to.deep.equal({ kind: "image", mime: "image/jpeg" });
  });

  it("keeps JSON that is not FHIR and plain text apart from FHIR, and opaque bytes apart from text", function () {
    expect(classifyRecord(utf8('{"note":"hello"}')).kind).to.equal("json");
    expect(classifyRecord(utf8("[1,2]")).kind).to.equal("json");
    expect(classifyRecord(utf8("Seen today, feeling better."))).to.deep.equal({ kind: "text", text: "Seen today, feeling better." });
    expect(classifyRecord(bytes(0xc3, 0x28, 0xa0))).to.deep.equal({ kind: "binary" });
  });

  it("prints sizes in bytes, KB and MB", function () {
    expect([formatBytes(512), formatBytes(2048), formatBytes(3 * 1024 * 1024)]).to.deep.equal(["512 bytes", "2.0 KB", "3.0 MB"]);
  });
});

describe("suggestedCategory (the upload form's guess for a picked file)", function () {
  it("files images under Imaging and PDFs under Notes, and leaves other files' category as chosen", function () {
    expect(suggestedCategory({ type: "image/png", name: "x.png" }, 1)).to.equal(5);
    expect(suggestedCategory({ type: "application/pdf", name: "letter.pdf" }, 1)).to.equal(7);
    expect(suggestedCategory({ type: "", name: "LETTER.PDF" }, 1)).to.equal(7);
    expect(suggestedCategory({ type: "application/json", name: "lab.json" }, 4)).to.equal(4);
  });
});
