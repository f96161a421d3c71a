import type { Request } from "express";
import type { GatewayServices } from "../services/gatewayServices";
import type { RelayableMethod } from "../services/relay/relayer";
import type { Session } from "../services/sessions";
import { clientIp } from "./clientIp";

/** A relay route's handler input: the signed-in wallet, its request (the network address charged) and the signed body. */
export interface RelayInput {
  session: Session;
  req: Request;
  body: { deadline: number; signature: string };
}

/**
 * What every relay route does once its own authorization has passed: judges the signed body's deadline against chain
 * time, sends the signed call from this organization's relayer charged to the caller's account and network address,
 * and answers the mined transaction (see `relayRoute` in lib/api for the declared answer and errors). Every `…BySig`
 * method ends with the deadline and the signature: `args` are the ones before them, and the body's own deadline and
 * signature are appended here, so the deadline judged is always the one the contract is sent.
 */
export async function relaySigned<A extends unknown[]>(
  services: GatewayServices,
  { session, req, body }: RelayInput,
  label: string,
  method: RelayableMethod<[...A, deadline: number, signature: string]>,
  args: [...A],
): Promise<{ txHash: string }> {
  await services.access.checkDeadline(body.deadline);
  const payer = { account: session.address, ip: clientIp(req) };
  const txHash = await services.relayer().send(label, method, [...args, body.deadline, body.signature], payer);
  return { txHash };
}
