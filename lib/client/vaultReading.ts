import { fromUtf8 } from "../crypto";
import { isFhirResource, type FhirResource } from "../fhir/resource";
import type { ActorContext } from "./actorContext";
import { hasCode } from "./errors";
import type { VaultRecord } from "./gatewayClient";
import { allPages } from "./pages";
import { readRecord } from "./recordActions";

/** A vault record decrypted and read as one FHIR resource (a Bundle stays a Bundle). */
export interface OpenedRecord {
  record: VaultRecord;
  resource: FhirResource;
}

/** A vault record the caller could list but not use, and why in words. */
export interface UnopenedRecord {
  record: VaultRecord;
  reason: string;
}

/**
 * Every record of `patient`'s vault the caller may see, newest first: all of it for the patient, only the categories
 * a live grant covers for anyone else (the gateway filters). With `category`, only that one (ACCESS_DENIED from the
 * gateway when no grant covers it).
 */
export async function listVault(ctx: ActorContext, patient: string, category?: number): Promise<VaultRecord[]> {
  return allPages(async (next) => {
    const page = await ctx.client.listRecords(patient, {
      limit: 200,
      ...(category === undefined ? {} : { category }),
      ...(next ? { next } : {}),
    });
    return { items: page.records, next: page.next };
  });
}

/**
 * Decrypts records (each read is a disclosure the gateway logs) and parses them as FHIR JSON. Two failures are
 * expected in a live vault and come back as `unopened` so the caller can say what it could not see: a record sealed
 * after the keys the caller's grant carries (NOT_IN_BUNDLE), and content that is not a FHIR resource (a PDF). Every
 * other failure (INTEGRITY, a gateway refusal) is thrown: it means something is wrong, not merely unreadable.
 */
export async function openRecords(
  ctx: ActorContext,
  patient: string,
  records: readonly VaultRecord[],
): Promise<{ opened: OpenedRecord[]; unopened: UnopenedRecord[] }> {
  const outcomes = await Promise.all(
    records.map(async (record): Promise<OpenedRecord | UnopenedRecord> => {
      let text: string;
      try {
        text = fromUtf8(await readRecord(ctx, patient, record));
      } catch (err) {
        if (hasCode(err, "NOT_IN_BUNDLE")) return { record, reason: (err as Error).message };
        throw err;
      }
      const resource = parseResource(text);
      return resource ? { record, resource } : { record, reason: "The record is not a FHIR JSON resource." };
    }),
  );
  return {
    opened: outcomes.filter((o): o is OpenedRecord => "resource" in o),
    unopened: outcomes.filter((o): o is UnopenedRecord => "reason" in o),
  };
}

function parseResource(text: string): FhirResource | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isFhirResource(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
