import type { ActorContext } from "./actorContext";

/**
 * The name the provider registry on the chain gives an account (not the gateway's word, and not what a record says
 * about its own author); the address itself when the registry does not know it.
 */
export async function registryName(ctx: ActorContext, account: string): Promise<string> {
  const { name } = await ctx.chain.registry.providerOf(account);
  return name === "" ? account : name;
}

/**
 * Names the authors of `patient`'s records as a prescriber reads them next to a finding: "the patient" for the
 * patient's own records, else the registry's name. Asks the chain once per author.
 */
export function authorNamer(ctx: ActorContext, patient: string): (author: string) => Promise<string> {
  const names = new Map<string, Promise<string>>();
  return (author) => {
    const key = author.toLowerCase();
    if (key === patient.toLowerCase()) return Promise.resolve("the patient");
    let name = names.get(key);
    if (name === undefined) names.set(key, (name = registryName(ctx, author)));
    return name;
  };
}
