import { getAddress } from "ethers";

/** The fields of an EIP-4361 (Sign-In with Ethereum) message this app signs. */
export interface SiweFields {
  domain: string;
  address: string;
  statement: string;
  uri: string;
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
}

/**
 * Formats an EIP-4361 message. Written here rather than with the `siwe` package because `siwe` pulls its ABNF
 * parser (apg-js) into the browser bundle (~66 KB gzipped) just to concatenate these lines; the gateway still
 * parses and verifies every message with `siwe`, and a test checks that `siwe` parses this output field for field.
 */
export function formatSiweMessage(f: SiweFields): string {
  const lines = [
    `${f.domain} wants you to sign in with your Ethereum account:`,
    getAddress(f.address),
    "",
    f.statement,
    "",
    `URI: ${f.uri}`,
    "Version: 1",
    `Chain ID: ${f.chainId}`,
    `Nonce: ${f.nonce}`,
    `Issued At: ${f.issuedAt}`,
  ];
  if (f.expirationTime !== undefined) lines.push(`Expiration Time: ${f.expirationTime}`);
  return lines.join("\n");
}
