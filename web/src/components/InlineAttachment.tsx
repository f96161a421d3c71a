import { useMemo } from "react";
import type { FhirResource } from "../../../lib/fhir";
import { first } from "../../../lib/fhir/read";
import { formatBytes } from "./recordContent";
import { useBlobUrl } from "./useBlobUrl";

/** The file a DocumentReference carries inside (a scan, a PDF), if it is one this page can show or offer. */
export function inlineFile(r: FhirResource): { mime: string; bytes: Uint8Array; title?: string } | undefined {
  if (r.resourceType !== "DocumentReference") return undefined;
  const attachment = first<{ attachment?: { contentType?: string; data?: string; title?: string } }>(r.content)?.attachment;
  const mime = attachment?.contentType;
  if (!attachment?.data || !mime || !(mime.startsWith("image/") || mime === "application/pdf")) return undefined;
  try {
    return { mime, bytes: Uint8Array.from(atob(attachment.data), (c) => c.charCodeAt(0)), title: attachment.title };
  } catch {
    return undefined; // not base64 after all: the card still says what the document is
  }
}

const NO_BYTES = new Uint8Array();

/** A document's own file under its card: an image shown, a PDF offered as a download. Decrypted in this browser. */
export function InlineAttachment({ resource, fileName }: { resource: FhirResource; fileName: string }) {
  const file = useMemo(() => inlineFile(resource), [resource]);
  const url = useBlobUrl(file?.bytes ?? NO_BYTES, file?.mime);
  if (!file) return null;
  if (!url) return <p className="muted">Preparing the file…</p>;
  return file.mime === "application/pdf" ? (
    <a className="button-link" href={url} download={`${fileName}.pdf`}>
      Download the PDF ({formatBytes(file.bytes.byteLength)})
    </a>
  ) : (
    <img src={url} alt={file.title ?? "Image from the vault"} className="record-image" />
  );
}
