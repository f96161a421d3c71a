import { useEffect, useRef, useState } from "react";
import type { ServedDeployment } from "../../../../lib/client";
import { readPatientLink } from "../../components/patientLink";
import { readQrFromImage, scanQrWithCamera } from "../../components/qrReading";
import { Status } from "../../components/Status";
import "../clinical.css";

/**
 * Finds a patient from their emergency card without typing an address: the device camera (the browser's barcode
 * reader, else @zxing), or a photo of the card for devices without a camera or permission to use it.
 */
export function PatientFinder({ deployment, onFound }: { deployment: ServedDeployment; onFound: (patient: string) => void }) {
  const video = useRef<HTMLVideoElement>(null);
  const scanner = useRef<{ stop(): void }>(undefined);
  const [scanning, setScanning] = useState(false);
  const [error, setError] = useState<string>();

  // Release the camera when the panel goes away mid-scan.
  useEffect(() => () => scanner.current?.stop(), []);

  /** True when the text was a usable card link (the scan stops), false to keep scanning. */
  function found(text: string): boolean {
    const link = readPatientLink(text, deployment);
    if (link.kind === "patient") {
      setError(undefined);
      setScanning(false);
      onFound(link.patient);
      return true;
    }
    setError(link.kind === "invalid" ? link.reason : "That QR code is not a Consent Ledger emergency card.");
    return false;
  }

  async function startCamera() {
    setError(undefined);
    setScanning(true);
    try {
      scanner.current = await scanQrWithCamera(video.current!, found);
    } catch (err) {
      setScanning(false);
      setError((err as Error).message);
    }
  }

  function stopCamera() {
    scanner.current?.stop();
    scanner.current = undefined;
    setScanning(false);
  }

  async function fromPhoto(file: File | undefined) {
    if (file === undefined) return;
    setError(undefined);
    try {
      found(await readQrFromImage(file));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <div className="subpanel" role="group" aria-labelledby="finder-title">
      <h3 id="finder-title">Scan the patient's emergency card</h3>
      <video ref={video} className="scanner" hidden={!scanning} muted playsInline aria-label="Camera view for scanning the card" />
      <div className="actions">
        {scanning ? (
          <button className="secondary" onClick={stopCamera}>
            Stop the camera
          </button>
        ) : (
          <button className="secondary" onClick={() => void startCamera()}>
            Scan with the camera
          </button>
        )}
      </div>
      <label>
        …or a photo of the card
        <input type="file" accept="image/*" onChange={(e) => void fromPhoto(e.target.files?.[0])} />
      </label>
      <Status error={error} errorTestId="finder-error" />
    </div>
  );
}
