import { DOCUMENT_KINDS, keysOf, type DocumentKind } from "../choices";
import { instantOf, type DateInput } from "../dateChecks";
import { compact, FieldChecks, type NumberInput } from "../formChecks";
import type { BuildOptions, BuildResult } from "../formResult";
import type { PartyInput } from "../references";
import { LOINC } from "../systems";
import type { Attachment, DocumentReference } from "../types";
import { concept } from "./elements";

/**
 * A clinical note, PDF or image as a form collects it. The file's bytes travel as their own record; this resource
 * describes them (title, kind, date, type) and may point at them by `url`. A short typed note may ride inline.
 */
export interface DocumentForm {
  title: string;
  kind?: DocumentKind;
  /** MIME type of the file: "application/pdf", "image/png", "image/jpeg", "text/plain". */
  contentType: string;
  /** The document's clinical date (the visit, the scan). */
  date: DateInput;
  /** Where the bytes are (e.g. the record's content address), when known. */
  url?: string;
  sizeBytes?: NumberInput;
  /** A typed note's text, stored inside the resource (text/plain only). */
  text?: string;
  /**
   * The file itself (a PDF, a scan), base64, carried inside the resource: one record holds the document and what it
   * is, so its title and date show without a second record. See {@link bytesToBase64}.
   */
  dataBase64?: string;
  author?: PartyInput;
  patient: PartyInput;
}

const MIME = /^[a-z]+\/[a-z0-9][a-z0-9.+-]*$/i;
// An inline note is for a page of text; files go as their own record.
const MAX_INLINE_CHARS = 100_000;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Base64 of bytes (FHIR's base64Binary). btoa is in browsers and Node 20; it takes a binary string, hence the loop. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function base64Utf8(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}

/** Builds a FHIR R4 DocumentReference from a form, or says what to fix. */
export function buildDocumentReference(form: DocumentForm, options?: BuildOptions): BuildResult<DocumentReference> {
  const c = new FieldChecks(options);
  const title = c.text("title", form.title, "Give the document a title, for example Discharge letter.", 200);
  const kind = c.choice("kind", form.kind, keysOf(DOCUMENT_KINDS), "Choose what kind of document this is.") ?? "note";
  const contentType = c.text("contentType", form.contentType, "Choose the kind of file: PDF, image or text.", 100);
  if (contentType !== undefined && !MIME.test(contentType)) c.fail("contentType", "Choose the kind of file: PDF, image or text.");
  const date = c.pastTime("date", form.date, "the date of the document", "Enter the date of the document.");
  const url = c.text("url", form.url, undefined, 2000);
  if (url !== undefined && !/^[a-z][a-z0-9+.-]*:\S+$/i.test(url)) c.fail("url", "The link to the file is not a valid address.");
  const size = c.number("sizeBytes", form.sizeBytes, { what: "the file size", example: "20480", min: 0, integer: true });
  const text = c.text("text", form.text, undefined, MAX_INLINE_CHARS);
  if (text !== undefined && contentType !== undefined && !contentType.startsWith("text/"))
    c.fail("text", "Typed text goes with a text document: choose “text”, or attach the file instead.");
  const data = form.dataBase64 === undefined || form.dataBase64 === "" ? undefined : form.dataBase64;
  if (data !== undefined && !BASE64.test(data)) c.fail("dataBase64", "The file could not be read: choose it again.");
  if (data !== undefined && text !== undefined) c.fail("text", "Either type the note or attach the file, not both.");
  const author = c.party("author", form.author, "the author");
  const patient = c.patient(form.patient);
  const type = DOCUMENT_KINDS.find((k) => k.key === kind)!;
  return c.resource<DocumentReference>("DocumentReference", () => ({
    status: "current",
    type: concept(type.label, LOINC, type.loinc, type.display),
    subject: patient!,
    // DocumentReference.date is an instant: when this reference was made. The clinical date is the context period.
    date: instantOf(c.now),
    author: author ? [author] : undefined,
    description: title!,
    content: [
      {
        attachment: compact<Attachment>({
          contentType: contentType!,
          data: text === undefined ? data : base64Utf8(text),
          url,
          size: size ?? (text === undefined ? undefined : new TextEncoder().encode(text).length),
          title: title!,
          creation: date!,
        }),
      },
    ],
    context: { period: { start: date! } },
  }));
}
