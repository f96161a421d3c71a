/** A labelled input for a 0x address: trimmed as typed, no autocomplete or spelling marks on hex. */
export function AddressField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  return (
    <label>
      {label}
      <input value={value} onChange={(e) => onChange(e.target.value.trim())} placeholder="0x…" autoComplete="off" spellCheck={false} />
    </label>
  );
}

/** What to say when an entry is not a 0x address; `whose` names what the address is of ("the patient's"). */
export function addressHint(whose: string): string {
  return `Enter ${whose} 0x address (40 hex digits).`;
}
