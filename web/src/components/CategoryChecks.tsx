import { CATEGORIES } from "../../../lib/consent/codes";

/** A fieldset of category checkboxes (each labelled), for grants and requests. */
export function CategoryChecks({
  legend,
  selected,
  onChange,
  options = CATEGORIES,
}: {
  legend: string;
  selected: readonly number[];
  onChange: (next: number[]) => void;
  options?: ReadonlyArray<{ id: number; label: string }>;
}) {
  return (
    <fieldset>
      <legend>{legend}</legend>
      <div className="checks">
        {options.map((c) => (
          <label key={c.id} className="check">
            <input
              type="checkbox"
              checked={selected.includes(c.id)}
              onChange={(e) => onChange(e.target.checked ? [...selected, c.id] : selected.filter((x) => x !== c.id))}
            />
            {c.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
