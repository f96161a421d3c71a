import { ACTION_CONTRACT, CONSENT_TYPES, contractDomain, typesFor, type ConsentAction } from "../consent/typedData";
import type { ActorContext } from "./actorContext";

/** How long a relayer has to submit a signed action, in chain seconds (the gateway refuses more than an hour). */
export const SIGNATURE_LIFETIME_SECONDS = 600;

/** The TypeScript type of one EIP-712 field type. */
type FieldValue<T extends string> = T extends "address" | "bytes32" | "bytes" | "string"
  ? string
  : T extends `uint${string}`
    ? number | bigint | string
    : never;

/** The message of an action, typed from its EIP-712 definition (the one the contracts hash). */
export type ActionMessage<A extends ConsentAction> = {
  [F in (typeof CONSENT_TYPES)[A][number] as F["name"]]: FieldValue<F["type"]>;
};

/** The fields a caller gives: everything but the nonce and deadline, which are read from the chain. */
export type ActionFields<A extends ConsentAction> = Omit<ActionMessage<A>, "nonce" | "deadline">;

/** A signed action, ready to relay. */
export interface SignedAction {
  signature: string;
  deadline: number;
  nonce: bigint;
}

/**
 * The one signing path of the client: builds the EIP-712 domain of the verifying contract on this deployment, reads
 * the nonce of `nonceOf` (the account whose nonce the contract consumes: the patient for consents — even when a
 * guardian signs —, the author for announcements, the account for its own key) and the chain time from the chain,
 * sets the deadline, and has the actor's wallet sign. Relaying is the caller's one next step.
 *
 * @example
 * const signed = await signAction(patient, "Revoke", { patient: patient.address, grantee }, patient.address);
 * await patient.client.relayRevoke({ patient: patient.address, grantee, deadline: signed.deadline, signature: signed.signature });
 */
export async function signAction<A extends ConsentAction>(
  ctx: ActorContext,
  action: A,
  fields: ActionFields<A>,
  nonceOf: string,
): Promise<SignedAction> {
  const verifier = ACTION_CONTRACT[action];
  const contract = verifier === "RecordIndex" ? ctx.chain.records : ctx.chain.ledger;
  const [nonce, now] = await Promise.all([contract.nonces(nonceOf), ctx.chain.chainTime()]);
  const deadline = now + SIGNATURE_LIFETIME_SECONDS;
  const domain = contractDomain(verifier, ctx.deployment.chainId, ctx.deployment.contracts[verifier].address);
  const signature = await ctx.signer.signTypedData(domain, typesFor(action), { ...fields, nonce, deadline });
  return { signature, deadline, nonce };
}
