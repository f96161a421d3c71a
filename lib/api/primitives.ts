import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { MAX_CATEGORY, MAX_PURPOSE } from "../consent/codes";
import { isCanonicalCid, parseCanonicalCid } from "../ids/cid";

/** An Ethereum address, lower-case or valid EIP-55 mixed case; always handed on in EIP-55 form. */
export const addressSchema = z
  .string()
  .refine((v) => isAddress(v), "must be a 0x-prefixed 20-byte Ethereum address (lower-case or EIP-55 checksummed)")
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

/** A record category number (the bit index in a grant's scope). */
export const categorySchema = z.coerce.number().int().min(0).max(MAX_CATEGORY);

/** An HL7 PurposeOfUse code number. */
export const purposeSchema = z.coerce.number().int().min(1).max(MAX_PURPOSE);

/** Unix seconds, as a number or a decimal string. */
export const unixSecondsSchema = z.coerce
  .number()
  .int()
  .min(0)
  .max(2 ** 53 - 1);

/** A uint32 scope bitmask. */
export const scopeSchema = z.coerce
  .number()
  .int()
  .min(1)
  .max(2 ** 32 - 1);

/** A request id (uint256 as a decimal string). */
export const requestIdSchema = z.string().regex(/^\d{1,30}$/, "must be a request number");

/** Page size of a list: 1..200, default 50. */
export const limitSchema = z.coerce.number().int().min(1).max(200).default(50);

/** Opaque continuation token from a previous page's `next`. */
export const pageTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "must be the `next` value of a previous page");
