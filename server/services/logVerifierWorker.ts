import { parentPort, workerData } from "node:worker_threads";
import { verifyLogAgainstAnchors, type AnchoredRoot } from "../../lib/disclosure/anchoring";
import type { ChainStart, DisclosureEntry } from "../../lib/disclosure/entries";

// Runs in a worker thread (see logVerifier.ts): hashing a long log must not block the gateway's event loop.
const { entries, anchors, start } = workerData as { entries: DisclosureEntry[]; anchors: AnchoredRoot[]; start: ChainStart };
parentPort?.postMessage(verifyLogAgainstAnchors(entries, anchors, start));
