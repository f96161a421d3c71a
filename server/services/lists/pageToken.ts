import { ApiError } from "../../errors";

/** The one spelling of a page token or cursor the gateway issues: a sequence number in decimal digits. */
const TOKEN = /^(0|[1-9][0-9]{0,14})$/;

/**
 * Reads a page token (the sort key of the last item of the previous page, as the gateway wrote it) or refuses it with
 * 400 naming the query parameter it came in (`query.next` unless said otherwise).
 */
export function decodeToken(next: string | undefined, field = "query.next"): number | undefined {
  if (next === undefined) return undefined;
  if (!TOKEN.test(next))
    throw new ApiError("BAD_REQUEST", `${field} must be the \`next\` value of a previous page of this list`, { field });
  return Number(next);
}
