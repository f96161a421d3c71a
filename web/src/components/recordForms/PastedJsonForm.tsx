import { useState } from "react";
import { categoryOf, DEFAULT_CATEGORY, isFhirResource } from "../../../../lib/fhir";
import { recordPlaintext } from "../recordInput";
import { CategorySelect } from "./CategorySelect";
import { addedWords, categoryProblem, type RecordTarget } from "./recordTarget";

/** For people who have FHIR JSON at hand: one resource or Bundle pasted as it is, checked before it is encrypted. */
export function PastedJsonForm({
  target,
  busy,
  onAdd,
  onInvalid,
}: {
  target: RecordTarget;
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
    const chosen = category ?? (isFhirResource(parsed) ? categoryOf(parsed) : DEFAULT_CATEGORY);
    const refused = categoryProblem(target, chosen);
    if (refused) return onInvalid(refused);
    if (await onAdd(plaintext, chosen, addedWords(target, chosen))) setText("");
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
      <CategorySelect value={category} onChange={setCategory} categories={target.categories} />
      <button type="submit" className="align-start secondary" disabled={busy}>
        Encrypt &amp; upload the JSON
      </button>
    </form>
  );
}
