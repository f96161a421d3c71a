import { CATEGORIES, PURPOSES } from "../../../lib/consent/codes";
import { SelectField } from "./SelectField";

/** Grant lengths offered when granting or requesting access. */
export const GRANT_DURATIONS = [
  { seconds: 3600, label: "1 hour" },
  { seconds: 86_400, label: "1 day" },
  { seconds: 7 * 86_400, label: "7 days" },
  { seconds: 30 * 86_400, label: "30 days" },
];

/** Categories a grant or request may name: the emergency summary is released only by break-glass, never by grant. */
export const GRANTABLE_CATEGORIES = CATEGORIES.filter((c) => c.key !== "EMERGENCY_SUMMARY");

/** Purpose-of-use picker (HL7 PurposeOfUse), shared by the patient's grant form and the provider's request form. */
export function PurposeSelect({ value, onChange }: { value: number; onChange: (purpose: number) => void }) {
  return (
    <SelectField
      label="Purpose of use"
      value={value}
      options={PURPOSES.map((p) => ({ value: p.id, label: `${p.label} (${p.code})` }))}
      onChange={onChange}
    />
  );
}

/** Grant-length picker, shared by the patient's grant form and the provider's request form. */
export function DurationSelect({ value, onChange }: { value: number; onChange: (seconds: number) => void }) {
  return (
    <SelectField
      label="Duration"
      value={value}
      options={GRANT_DURATIONS.map((d) => ({ value: d.seconds, label: d.label }))}
      onChange={onChange}
    />
  );
}
