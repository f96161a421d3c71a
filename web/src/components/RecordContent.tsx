import { useMemo, type ReactNode } from "react";
import { categoryLabel } from "../../../lib/consent/codes";
import { InlineAttachment } from "./InlineAttachment";
import { RecordCard } from "./RecordCard";
import { classifyRecord, formatBytes } from "./recordContent";
import { useBlobUrl } from "./useBlobUrl";

/**
 * A decrypted record shown for what it is: FHIR as clinical cards (a Bundle as one card per entry), an image
 * inline, a PDF as a download; JSON or text only on request. Everything here was decrypted in this browser.
 */
export function RecordContent({ plaintext, category, fileName }: { plaintext: Uint8Array; category: number; fileName: string }) {
  const content = useMemo(() => classifyRecord(plaintext), [plaintext]);
  const mime =
    content.kind === "pdf" || content.kind === "image" ? content.mime : content.kind === "binary" ? "application/octet-stream" : undefined;
  const url = useBlobUrl(plaintext, mime);
  /** "PDF document · Lab results · 12 KB": what the bytes are, where they are filed, how big. */
  const facts = (what: string) => `${what} · ${categoryLabel(category)} · ${formatBytes(plaintext.byteLength)}`;

  switch (content.kind) {
    case "fhir":
      return (
        <div className="record-content" data-testid="record-content">
          {content.bundle && (
            <p className="muted">
              A FHIR Bundle of {content.resources.length} entries · {categoryLabel(category)}
            </p>
          )}
          <div className={content.bundle ? "cards" : undefined}>
            {content.resources.map((resource, i) => (
              <RecordCard key={i} resource={resource} category={content.bundle ? undefined : category} />
            ))}
          </div>
          {!content.bundle && <InlineAttachment resource={content.resources[0]} fileName={fileName} />}
          <details>
            <summary>Show the FHIR JSON</summary>
            <pre className="raw">{content.json}</pre>
          </details>
        </div>
      );
    case "image":
      return (
        <figure className="record-content card" data-testid="record-content">
          {url ? (
            <img src={url} alt={`${categoryLabel(category)} image from the vault`} className="record-image" />
          ) : (
            <p className="muted">Preparing the image…</p>
          )}
          <figcaption className="muted">
            {categoryLabel(category)} · image ({formatBytes(plaintext.byteLength)}), decrypted in this browser
          </figcaption>
        </figure>
      );
    case "pdf":
    case "binary":
      return (
        <FileCard facts={`${facts(content.kind === "pdf" ? "PDF document" : "File")}, decrypted in this browser.`}>
          {url ? (
            <a className="button-link" href={url} download={fileName + (content.kind === "pdf" ? ".pdf" : ".bin")}>
              Download {content.kind === "pdf" ? "the PDF" : "the file"}
            </a>
          ) : (
            <p className="muted">Preparing the download…</p>
          )}
        </FileCard>
      );
    case "json":
    case "text":
      return (
        <FileCard facts={facts(content.kind === "json" ? "JSON that is not a FHIR resource" : "Text")}>
          <details>
            <summary>Show the text</summary>
            <pre className="raw">{content.kind === "json" ? content.json : content.text}</pre>
          </details>
        </FileCard>
      );
  }
}

/** A record shown as a file (not FHIR, not an image): its facts in one line, then how to see it. */
function FileCard({ facts, children }: { facts: string; children: ReactNode }) {
  return (
    <div className="record-content card" data-testid="record-content">
      <p>{facts}</p>
      {children}
    </div>
  );
}
