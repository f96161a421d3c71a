import { ApiError } from "../../errors";
import { StoreError } from "./contentStore";

/** Runs a store operation, mapping engine failures to 404 (not held), 413 (too large) or 503 (engine down). */
export async function storeOrUnavailable<T>(op: () => Promise<T>): Promise<T> {
  try {
    return await op();
  } catch (err) {
    if (err instanceof ApiError) throw err;
    if (err instanceof StoreError && err.code === "NOT_FOUND") throw new ApiError("CONTENT_NOT_FOUND", err.message);
    if (err instanceof StoreError && err.code === "CORRUPT") throw new ApiError("CONTENT_NOT_FOUND", err.message);
    if (err instanceof StoreError && err.code === "TOO_LARGE") throw new ApiError("PAYLOAD_TOO_LARGE", err.message);
    throw new ApiError("STORE_UNAVAILABLE", `The content store did not answer: ${(err as Error).message}`);
  }
}
