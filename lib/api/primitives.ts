import { getAddress } from "ethers";
import { z } from "zod";
import { MAX_CATEGORY, MAX_PURPOSE } from "../consent/codes";
import { isCanonicalCid, parseCanonicalCid } from "../ids/cid";

/**
 * Exactly what the address message promises: `0x` and 40 hex digits, all lower-case or in valid EIP-55 mixed case.
 * (ethers' isAddress also takes no `0x` and all upper case, which would give one address several spellings.)
 */
function isCanonicalAddress(v: string): boolean {
  if (/^0x[0-9a-f]{40}$/.test(v)) return true;
  if (!/^0x[0-9a-fA-F]{40}$/.test(v)) return false;
  try {
    return getAddress(v) === v;
  } catch {
    return false;
  }
}

/** An Ethereum address, lower-case or valid EIP-55 mixed case; always handed on in EIP-55 form. */
export const addressSchema = z
  .string()
  .refine(isCanonicalAddress, "must be a 0x-prefixed 20-byte Ethereum address (lower-case or EIP-55 checksummed)")
  .transform((v) => getAddress(v))
  .meta({ example: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8" });

/** 32 bytes as 0x-hex. */
export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 32 bytes as 0x-prefixed hex");

/** An ECDSA signature (65 bytes) or an ERC-1271 blob (≤ 1 KiB), as 0x-hex. */
export const signatureSchema = z.string().regex(/^0x([0-9a-fA-F]{2}){65,1024}$/, "must be a 0x-prefixed hex signature");

/**
 * Content identity: the canonical CID (CIDv1, base32, raw or dag-pb, sha2-256). Other spellings of the same content
 * are refused, naming the canonical one, so that one piece of content has exactly one name at every boundary.
 */
export const cidSchema = z
  .string()
  .max(128, "is too long to be a CID")
  .superRefine((v, ctx) => {
    if (isCanonicalCid(v)) return;
    try {
      parseCanonicalCid(v);
    } catch (err) {
      ctx.addIssue({ code: "custom", message: `is not a canonical CID: ${(err as Error).message}` });
    }
  })
  .meta({ example: "bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy" });

/** A whole number written as a query parameter: decimal digits only, no sign, spaces, leading zeros or other bases. */
const DECIMAL = /^(0|[1-9][0-9]{0,15})$/;

/**
 * A whole number in a JSON body: a JSON number that is an integer in [min, max] (never a string, null or a
 * fraction), refused with a message that names the form.
 */
function bodyInteger(min: number, max: number, what: string) {
  const form = `must be ${what}: a JSON integer from ${min} to ${max}`;
  return z.number({ error: form }).int({ error: form }).min(min, { error: form }).max(max, { error: form });
}

/**
 * A whole number in a query string: plain decimal digits (`0`, `42`; not `+4`, `04`, `4.0`, `0x4`, ` 4 `, or empty)
 * in [min, max]. The SDK may pass a number; it is written out in decimal, the one form the gateway reads.
 */
function queryInteger(min: number, max: number, what: string) {
  const form = `must be ${what}: decimal digits (no sign, spaces or leading zeros) for a number from ${min} to ${max}`;
  const schema = z
    .string({ error: form })
    .regex(DECIMAL, { error: form })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: form }).max(max, { error: form }));
  // The input type says what a caller of the SDK may pass (it writes numbers in decimal); the gateway reads strings.
  return schema as unknown as z.ZodType<number, number | string>;
}

/** A record category number (the bit index in a grant's scope), in a JSON body. */
export const categorySchema = bodyInteger(0, MAX_CATEGORY, "a category number");

/** A record category number, as a query parameter. */
export const categoryQuerySchema = queryInteger(0, MAX_CATEGORY, "a category number");

/** An HL7 PurposeOfUse code number, in a JSON body. */
export const purposeSchema = bodyInteger(1, MAX_PURPOSE, "a purpose-of-use code number");

/** Unix seconds, in a JSON body. */
export const unixSecondsSchema = bodyInteger(0, 2 ** 53 - 1, "unix seconds");

/** A uint32 scope bitmask, in a JSON body. */
export const scopeSchema = bodyInteger(1, 2 ** 32 - 1, "a scope bitmask");

/** A request id (uint256 as a decimal string). */
export const requestIdSchema = z.string().regex(/^(0|[1-9][0-9]{0,29})$/, "must be a request number: decimal digits, no leading zeros");

/** Page size of a list (a query parameter): 1..200, default 50. */
export const limitSchema = queryInteger(1, 200, "a page size").default(50);

/** Opaque continuation token from a previous page's `next`. */
export const pageTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be the `next` value of a previous page");
