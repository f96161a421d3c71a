/** The browser's own barcode reader (Chromium on Android and macOS, Safari): not in TypeScript's DOM types yet. */
interface BarcodeDetectorLike {
  detect(source: ImageBitmapSource): Promise<Array<{ rawValue: string }>>;
}
type BarcodeDetectorClass = new (options: { formats: string[] }) => BarcodeDetectorLike;

/** The native QR detector when the browser has one that reads QR codes; else undefined (then @zxing decodes). */
async function nativeDetector(): Promise<BarcodeDetectorLike | undefined> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass & { getSupportedFormats?(): Promise<string[]> } })
    .BarcodeDetector;
  if (Detector === undefined) return undefined;
  const formats = (await Detector.getSupportedFormats?.()) ?? [];
  return formats.includes("qr_code") ? new Detector({ formats: ["qr_code"] }) : undefined;
}

/** @zxing, loaded only when a card is scanned on a browser without a native reader (it is most of a QR reader's weight). */
async function zxingReader() {
  const { BrowserQRCodeReader } = await import("@zxing/browser");
  return new BrowserQRCodeReader();
}

/** The text of the QR code in a photo or screenshot; throws a sentence when there is none. */
export async function readQrFromImage(image: Blob): Promise<string> {
  const native = await nativeDetector();
  if (native !== undefined) {
    const [code] = await native.detect(await createImageBitmap(image));
    if (code !== undefined) return code.rawValue;
  }
  const url = URL.createObjectURL(image);
  try {
    return (await (await zxingReader()).decodeFromImageUrl(url)).getText();
  } catch {
    throw new Error("No QR code was found in that picture. Take it again closer, flat and in focus.");
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * Reads QR codes from the device camera into `video` until `onText` returns true or `stop` is called. The camera is
 * released on stop. Throws a sentence when no camera can be opened (none, or permission refused).
 */
export async function scanQrWithCamera(video: HTMLVideoElement, onText: (text: string) => boolean): Promise<{ stop(): void }> {
  const native = await nativeDetector();
  if (native === undefined) {
    const controls = await (
      await zxingReader()
    )
      .decodeFromVideoDevice(undefined, video, (result, _err, ctl) => {
        if (result !== undefined && onText(result.getText())) ctl.stop();
      })
      .catch(() => {
        throw cameraRefused();
      });
    return { stop: () => controls.stop() };
  }
  const stream = await navigator.mediaDevices?.getUserMedia({ video: { facingMode: "environment" } }).catch(() => undefined);
  if (stream === undefined) throw cameraRefused();
  video.srcObject = stream;
  await video.play();
  let running = true;
  const stop = () => {
    running = false;
    stream.getTracks().forEach((t) => t.stop());
    video.srcObject = null;
  };
  const tick = async () => {
    if (!running) return;
    const [code] = await native.detect(video).catch(() => []);
    if (code !== undefined && onText(code.rawValue)) return stop();
    setTimeout(() => void tick(), 250);
  };
  void tick();
  return { stop };
}

function cameraRefused(): Error {
  return new Error("The camera could not be opened (none found, or permission refused). Take a photo of the card and choose it below.");
}
