/** One choice of a {@link SelectField}: `value` undefined is the "nothing chosen" choice ("All providers"). */
export interface SelectOption<V extends string | number | undefined> {
  value: V;
  label: string;
}

/**
 * A labelled drop-down whose choices carry typed values: the select works in strings, so the chosen value is found
 * back among the options instead of each caller parsing `e.target.value` (and `Number("")` slipping through as 0).
 *
 * @example
 * <SelectField label="Reason" value={reason} options={BREAK_GLASS_REASONS.map((r) => ({ value: r.id, label: r.label }))} onChange={setReason} />
 */
export function SelectField<V extends string | number | undefined>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: V;
  options: readonly SelectOption<V>[];
  onChange: (value: V) => void;
}) {
  const domValue = (v: V) => (v === undefined ? "" : String(v));
  return (
    <label>
      {label}
      <select
        value={domValue(value)}
        onChange={(e) => {
          const chosen = options.find((o) => domValue(o.value) === e.target.value);
          if (chosen) onChange(chosen.value);
        }}
      >
        {options.map((o) => (
          <option key={domValue(o.value)} value={domValue(o.value)}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
