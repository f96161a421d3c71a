import { readFile } from "node:fs/promises";
import { time } from "@nomicfoundation/hardhat-network-helpers";
import { ethers } from "hardhat";
import { PROVIDER_KIND, scopeOf } from "../../lib/consent/codes";
import { utf8 } from "../../lib/crypto";
import { cidToBytes, documentCid } from "../../lib/ids/cid";
import { parseDisclosureLog } from "../../lib/audit";
import type { DisclosureEntry } from "../../lib/disclosure";
import { ALICE, JANE, JOHN, OMAR, logFileOf, type AuditChain } from "./chain";

/** A lab whose registry name needs quoting in CSV and escaping in HTML, and would be a formula in a spreadsheet. */
export const LAB = 8;
export const LAB_NAME = '=Lab "Q", Inc.\n<night shift>';

/** What {@link janeDoeStory} did, for assertions. */
export interface Story {
  jane: string;
  alice: string;
  omar: string;
  lab: string;
  logFile: string;
  entries: DisclosureEntry[];
  /** Disclosures of Jane's records to someone other than Jane. */
  disclosuresToOthers: number;
  breakGlassTx: string;
}

/** The canonical CIDs of the story's records (the ledger accepts no other form). */
export const STORY_CIDS = {
  asthma: documentCid(utf8("Jane's asthma record")),
  cbc: documentCid(utf8("Jane's blood count")),
  ips: documentCid(utf8("Jane's emergency summary")),
};

/**
 * "Who saw Jane Doe's records, when, why, under which consent": Jane adds records, grants Dr. Chen (with a key
 * bundle) and the lab, Dr. Chen reads, a request is denied and another left pending, Dr. Haddad breaks the glass
 * and reads the emergency summary, Jane reads her own record, revokes Dr. Chen; the gateway's log is anchored.
 */
export async function janeDoeStory(c: AuditChain): Promise<Story> {
  const [jane, alice, omar, lab] = [c.address(JANE), c.address(ALICE), c.address(OMAR), c.address(LAB)];
  const asJane = c.ledger.connect(await c.signer(JANE));
  await (await c.registry.verifyProvider(lab, ethers.id("lab-licence"), LAB_NAME, PROVIDER_KIND.LABORATORY, false)).wait();
  await (await asJane.setEmergencyPolicy(true, 900, ethers.id("jane-ips"))).wait();
  const records = c.records.connect(await c.signer(JANE));
  await (await records.addRecord(jane, ethers.id("asthma"), cidToBytes(STORY_CIDS.asthma), 1)).wait();
  await (await records.addRecord(jane, ethers.id("cbc"), cidToBytes(STORY_CIDS.cbc), 4)).wait();
  await (await records.addRecord(jane, ethers.id("ips"), cidToBytes(STORY_CIDS.ips), 12)).wait();
  const expiresAt = (await time.latest()) + 86_400;
  await (await asJane.grant(alice, scopeOf([1, 4]), 1, expiresAt, ethers.sha256(ethers.toUtf8Bytes("key bundle for Dr. Chen")))).wait();
  await (await asJane.grant(lab, scopeOf([4], true), 5, expiresAt, ethers.ZeroHash)).wait();

  const log = await c.openLog();
  const toAlice = { reader: alice, patient: jane, purpose: 1, basis: "grant" as const, grantExpiresAt: expiresAt };
  await c.disclose(log, { ...toAlice, cid: STORY_CIDS.asthma, category: 1 });
  await time.increase(600);
  await c.disclose(log, { ...toAlice, cid: STORY_CIDS.cbc, category: 4 });
  await c.disclose(log, {
    reader: lab,
    patient: jane,
    cid: STORY_CIDS.cbc,
    category: 4,
    purpose: 5,
    basis: "grant",
    grantExpiresAt: expiresAt,
  });

  const asAlice = c.ledger.connect(await c.signer(ALICE));
  await (await asAlice.requestAccess(jane, scopeOf([8]), 6, 3600)).wait();
  await (await asJane.deny(0)).wait();
  await (await c.ledger.connect(await c.signer(OMAR)).requestAccess(jane, scopeOf([3]), 8, 3600)).wait();

  const breakGlass = await c.ledger.connect(await c.signer(OMAR)).breakGlass(jane, 3);
  await breakGlass.wait();
  await c.disclose(log, {
    reader: omar,
    patient: jane,
    cid: STORY_CIDS.ips,
    category: 12,
    purpose: 2,
    basis: "emergency",
    grantExpiresAt: 0,
  });
  await c.disclose(log, {
    reader: jane,
    patient: jane,
    cid: STORY_CIDS.asthma,
    category: 1,
    purpose: 0,
    basis: "patient",
    grantExpiresAt: 0,
  });
  // Another patient's disclosure in the same log: never part of Jane's exports.
  await (await c.ledger.connect(await c.signer(JOHN)).grant(alice, scopeOf([1]), 1, expiresAt, ethers.ZeroHash)).wait();
  await c.disclose(log, {
    reader: alice,
    patient: c.address(JOHN),
    cid: "bafkreijohn",
    category: 1,
    purpose: 1,
    basis: "grant",
    grantExpiresAt: expiresAt,
  });
  await time.increase(60);
  await (await asJane.revoke(alice)).wait();

  const entries = parseDisclosureLog(await readFile(logFileOf(c), "utf8"));
  await c.anchorEntries(entries, 0, entries.length - 1);
  return { jane, alice, omar, lab, logFile: logFileOf(c), entries, disclosuresToOthers: 4, breakGlassTx: breakGlass.hash };
}
