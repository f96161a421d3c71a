import { getAddress, isAddress } from "ethers";
import { z } from "zod";
import { MAX_CATEGORY } from "../lib/consent/codes";
import { parseCid } from "./services/store/cids";

/** An Ethereum address in any case, normalised to its checksum form. */
export const addressSchema = z
  .string()
  .refine((v) => isAddress(v), "must be a 0x-prefixed 20-byte Ethereum address")
  .transform((v) => getAddress(v));

/** 32 bytes as 0x-hex. */
export const bytes32Schema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 32 bytes as 0x-prefixed hex");

/** An ECDSA signature (65 bytes) or an ERC-1271 blob, as 0x-hex. */
export const signatureSchema = z.string().regex(/^0x([0-9a-fA-F]{2}){65,1024}$/, "must be a 0x-prefixed hex signature");

/** A CID string (v0 or v1). */
export const cidSchema = z
  .string()
  .max(128, "is too long to be a CID")
  .refine((v) => parseCid(v) !== undefined, "is not a valid CID");

/** A record category number. */
export const categorySchema = z.coerce.number().int().min(0).max(MAX_CATEGORY);

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
