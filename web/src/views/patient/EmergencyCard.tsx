import { useEffect, useRef, useState } from "react";
import { toDataURL } from "qrcode";
import type { ActorContext } from "../../../../lib/client";
import { patientLink } from "../../components/patientLink";
import { printOnly } from "../../components/print";
import "./EmergencyCard.css";

/**
 * The patient's emergency card: a QR code and a link that let an ER clinician find this patient on this ledger
 * without typing an address. It identifies the patient only (address, chain, ledger) and opens nothing by itself:
 * the clinician still needs a grant or must break the glass, which the patient's emergency policy governs.
 */
export function EmergencyCard({ actor }: { actor: ActorContext }) {
  const link = patientLink(window.location.origin, actor.address, actor.deployment);
  const [qr, setQr] = useState<string>();
  const [qrError, setQrError] = useState<string>();
  const card = useRef<HTMLDivElement>(null);

  useEffect(() => {
    let current = true;
    toDataURL(link, { errorCorrectionLevel: "M", margin: 2, width: 320 }).then(
      (url) => current && setQr(url),
      () => current && setQrError("The QR code could not be drawn in this browser; the link below works the same."),
    );
    return () => {
      current = false;
    };
  }, [link]);

  return (
    <section className="panel" aria-labelledby="card-title">
      <h2 id="card-title">Emergency card</h2>
      <p className="muted">
        Print this card for your wallet, or show it on your phone. In an emergency, clinicians scan it to find you on the ledger. It holds
        no health data: only what identifies you here. What they may then read is what you granted, or your emergency summary if you turned
        emergency access on.
      </p>
      <div className="wallet-card" ref={card} data-testid="emergency-card">
        {qr && <img src={qr} alt="QR code of your emergency card link" />}
        <div className="wallet-card-text">
          <strong>Medical emergency: scan me</strong>
          <span>Consent Ledger patient card</span>
          <a href={link} data-testid="emergency-link">
            {link}
          </a>
        </div>
      </div>
      {qrError && (
        <p className="error" role="alert">
          {qrError}
        </p>
      )}
      <div className="actions">
        <button className="secondary" onClick={() => printOnly(card.current)}>
          Print the card
        </button>
      </div>
    </section>
  );
}
