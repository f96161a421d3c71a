import { addOwnRecord, grantAccess } from "../../lib/client";
import { CATEGORY, PURPOSE } from "../../lib/consent/codes";
import { connectActor } from "../../lib/client/connect";
import type { ActorContext } from "../../lib/client/actorContext";
import { publishKeys } from "../../lib/client/keyActions";
import { demoWallet } from "../../scripts/seed";
import type { TestStack } from "./stack";

/**
 * Signs a demo account (by index) in to the stack's gateway and derives its encryption keys, as the web app does;
 * the actor reads the ledger over the chain's own JSON-RPC (not through the gateway) to check what it is served.
 */
export async function signedInActor(stack: Pick<TestStack, "url" | "provider">, index: number): Promise<ActorContext> {
  return connectActor({ gatewayUrl: stack.url, signer: demoWallet(index, stack.provider) });
}

/** A signed-in actor whose encryption key and key directory are on the ledger (what the app does at first sign-in). */
export async function readyActor(stack: Pick<TestStack, "url" | "provider">, index: number): Promise<ActorContext> {
  const actor = await signedInActor(stack, index);
  await publishKeys(actor);
  return actor;
}

/** Ready actors for several demo accounts at once, in the order of `indexes`. */
export function readyActors(stack: Pick<TestStack, "url" | "provider">, ...indexes: number[]): Promise<ActorContext[]> {
  return Promise.all(indexes.map((index) => readyActor(stack, index)));
}

/** The scene most gateway tests start from: Jane with one record, and Dr. Chen holding a grant to it (or not yet). */
export interface GrantedScene {
  patient: ActorContext;
  doctor: ActorContext;
  /** The record's canonical CID. */
  cid: string;
}

/**
 * Jane (1) adds one Problems & diagnoses record (`plaintext`, a bare Condition by default) and, unless `grant` is
 * false, gives Dr. Chen (2) a one-hour treatment grant to that category.
 */
export async function grantedScene(
  stack: Pick<TestStack, "url" | "provider">,
  options: { plaintext?: string; grant?: boolean } = {},
): Promise<GrantedScene> {
  const patient = await readyActor(stack, 1);
  const doctor = await readyActor(stack, 2);
  const { cid } = await addProblem(patient, options.plaintext);
  if (options.grant !== false) await grantTreatment(patient, doctor);
  return { patient, doctor, cid };
}

/** `patient` adds a Problems & diagnoses record of her own: `plaintext`, a bare Condition by default. */
export function addProblem(patient: ActorContext, plaintext = '{"resourceType":"Condition"}'): ReturnType<typeof addOwnRecord> {
  return addOwnRecord(patient, { plaintext: new TextEncoder().encode(plaintext), category: CATEGORY.PROBLEMS });
}

/** The grant most gateway tests give: `patient` lets `doctor` read Problems & diagnoses for treatment, for one hour. */
export async function grantTreatment(patient: ActorContext, doctor: ActorContext): Promise<void> {
  await grantAccess(patient, { grantee: doctor.address, categories: [CATEGORY.PROBLEMS], purpose: PURPOSE.TREAT, durationSeconds: 3600 });
}
