import { useEffect, useState } from "react";

/** A blob URL for bytes, revoked when the component goes away. */
export function useBlobUrl(bytes: Uint8Array, mime: string | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (mime === undefined) return;
    const next = URL.createObjectURL(new Blob([bytes as BlobPart], { type: mime }));
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [bytes, mime]);
  return url;
}
