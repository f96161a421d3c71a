import { expect } from "chai";
import { buildDocumentReference, bytesToBase64 } from "../../../lib/fhir";
import { built, errorsOf, expectValidR4, JANE, NOW } from "./fixtures";

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

describe("a document with its file inside (DocumentReference with inline data)", function () {
  this.timeout(60_000);

  it("carries the file's bytes, type, size and title in one valid R4 resource", function () {
    const doc = built(
      buildDocumentReference(
        {
          title: "Discharge letter",
          kind: "discharge-summary",
          contentType: "application/pdf",
          date: "2026-02-01",
          dataBase64: bytesToBase64(PDF),
          sizeBytes: PDF.length,
          patient: JANE,
        },
        { now: NOW },
      ),
    );
    expectValidR4(doc);
    const attachment = doc.content[0].attachment;
    expect(Buffer.from(attachment.data!, "base64")).to.deep.equal(Buffer.from(PDF));
    expect(attachment).to.deep.include({ contentType: "application/pdf", size: PDF.length, title: "Discharge letter" });
  });

  it("refuses bytes that are not base64, and a typed note and a file together, in words", function () {
    const form = { title: "Scan", contentType: "text/plain", date: "2026-02-01", patient: JANE };
    expect(errorsOf(buildDocumentReference({ ...form, dataBase64: "not base64!" }, { now: NOW }))).to.deep.equal({
      dataBase64: "The file could not be read: choose it again.",
    });
    expect(errorsOf(buildDocumentReference({ ...form, dataBase64: "AAAA", text: "hello" }, { now: NOW }))).to.deep.equal({
      text: "Either type the note or attach the file, not both.",
    });
  });
});
