import { expect } from "chai";
import type { ServedDeployment } from "../../lib/client";
import { patientLink, readPatientLink } from "../../web/src/components/patientLink";

const LEDGER = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
const JANE = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const DEPLOYMENT: ServedDeployment = {
  chainId: 31337,
  local: true,
  contracts: { ConsentLedger: { address: LEDGER, blockNumber: 1, abi: [] } },
};

describe("the emergency card's patient link", function () {
  it("names the patient, chain and ledger only, checksummed, and reads back to the patient", function () {
    const link = patientLink("http://er.example:8080", JANE.toLowerCase(), DEPLOYMENT);
    expect(link).to.equal(`http://er.example:8080/?patient=${JANE}&chain=31337&ledger=${LEDGER}`);
    expect(readPatientLink(link, DEPLOYMENT)).to.deep.equal({ kind: "patient", patient: JANE });
    expect(readPatientLink(new URL(link).search, DEPLOYMENT)).to.deep.equal({ kind: "patient", patient: JANE });
  });

  it("is no link at all when the page has no patient parameters", function () {
    expect(readPatientLink("?", DEPLOYMENT)).to.deep.equal({ kind: "none" });
  });

  it("refuses a damaged address in words, not hex", function () {
    const damaged = JANE.replace("C51812", "C51813");
    const result = readPatientLink(`?patient=${damaged}&chain=31337&ledger=${LEDGER}`, DEPLOYMENT);
    expect(result).to.deep.include({ kind: "invalid" });
    expect((result as { reason: string }).reason)
      .to.match(/damaged/)
      .and.not.match(/0x/);
    expect(readPatientLink(`?patient=${JANE.toLowerCase()}&chain=31337&ledger=${LEDGER}`, DEPLOYMENT).kind).to.equal("invalid");
  });

  it("refuses a card of another chain or another ledger", function () {
    for (const query of [`?patient=${JANE}&chain=1&ledger=${LEDGER}`, `?patient=${JANE}&chain=31337&ledger=${JANE}`, `?patient=${JANE}`]) {
      const result = readPatientLink(query, DEPLOYMENT);
      expect(result, query).to.deep.include({ kind: "invalid" });
      expect((result as { reason: string }).reason).to.match(/another Consent Ledger network/);
    }
  });
});
