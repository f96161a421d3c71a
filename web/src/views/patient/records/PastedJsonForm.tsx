import { useState } from "react";
import { categoryLabel } from "../../../../../lib/consent/codes";
import { categoryOf, isFhirResource } from "../../../../../lib/fhir";
import { recordPlaintext } from "../../../components/recordInput";
import { CategorySelect } from "./CategorySelect";

/** For people who have FHIR JSON at hand: one resource or Bundle pasted as it is, checked before it is encrypted. */
export function PastedJsonForm({
  busy,
  onAdd,
  onInvalid,
}: {
  busy: boolean;
  onAdd: (plaintext: Uint8Array, category: number, done: string) => Promise<boolean>;
  onInvalid: (message: string) => void;
}) {
  const [text, setText] = useState("");
  const [category, setCategory] = useState<number>();

  async function submit() {
    let plaintext: Uint8Array;
    try {
      plaintext = await recordPlaintext(undefined, text);
    } catch (err) {
      return onInvalid((err as Error).message);
    }
    const parsed: unknown = JSON.parse(text);
    const chosen = category ?? (isFhirResource(parsed) ? categoryOf(parsed) : 7);
    if (await onAdd(plaintext, chosen, `Added to your vault as ${categoryLabel(chosen)}.`)) setText("");
  }

  return (
    <form
      className="stack"
      aria-label="Paste FHIR JSON"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        FHIR R4 JSON
        <textarea rows={7} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} />
      </label>
      <CategorySelect value={category} onChange={setCategory} />
      <button type="submit" className="align-start secondary" disabled={busy}>
        Encrypt &amp; upload the JSON
      </button>
    </form>
  );
}
