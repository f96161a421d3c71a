import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Deployment } from "./deployment";

// Node-only (file system): the deploy script writes these files and the gateway reads them. Browser code gets the
// deployment from the gateway's `/api/deployment` instead, and imports `./deployment` only.

/** Path of the deployments file of a chain: `<deploymentsDir>/<chainId>.json`. */
export function deploymentPath(deploymentsDir: string, chainId: number): string {
  return path.join(deploymentsDir, `${chainId}.json`);
}

/** Reads a chain's deployments file, or undefined when there is none (or it is not JSON). */
export async function readDeployment(deploymentsDir: string, chainId: number): Promise<Deployment | undefined> {
  try {
    return JSON.parse(await readFile(deploymentPath(deploymentsDir, chainId), "utf8")) as Deployment;
  } catch {
    return undefined;
  }
}

/** Writes a chain's deployments file, creating the folder if needed. */
export async function writeDeployment(deploymentsDir: string, deployment: Deployment): Promise<void> {
  await mkdir(deploymentsDir, { recursive: true });
  await writeFile(deploymentPath(deploymentsDir, deployment.chainId), JSON.stringify(deployment, null, 2) + "\n");
}
