import { useEffect, useState } from "react";
import type { VaultRecord } from "../../../../../lib/client/gatewayClient";
import { recordFace, type RecordFace } from "./recordFaces";

// A few at a time: each is a fetch, a chain check and a decryption, and the page stays responsive meanwhile.
const AT_ONCE = 3;

/**
 * Titles for a vault's records: each record is decrypted in this browser (once per session, see recordFaces.ts) and
 * described; the map fills in as they arrive, keyed by CID.
 */
export function useRecordFaces(
  reader: string,
  records: readonly VaultRecord[],
  open: (record: VaultRecord) => Promise<Uint8Array>,
): ReadonlyMap<string, RecordFace> {
  const [faces, setFaces] = useState<ReadonlyMap<string, RecordFace>>(new Map());

  useEffect(() => {
    let cancelled = false;
    const queue = [...records];
    async function worker() {
      for (let r = queue.shift(); r !== undefined; r = queue.shift()) {
        const cid = r.cid;
        const face = await recordFace(reader, r, open);
        if (cancelled) return;
        setFaces((old) => (old.get(cid) === face ? old : new Map(old).set(cid, face)));
      }
    }
    void Promise.all(Array.from({ length: AT_ONCE }, worker));
    return () => {
      cancelled = true;
    };
    // `open` is recreated on each render of the view; the records and reader decide what to decrypt.
  }, [reader, records]);

  return faces;
}
