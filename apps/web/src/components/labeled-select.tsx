"use client";

/** A <select> with its visible label (also its accessible name); `allowNone` adds an empty "(none)" choice. */
export function LabeledSelect(props: {
  label: string;
  value: string;
  options: string[];
  onChange: (value: string) => void;
  allowNone?: boolean;
}) {
  const { label, value, options, onChange, allowNone } = props;
  return (
    <label>
      {label}{" "}
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-label={label}>
        {allowNone && <option value="">(none)</option>}
        {options.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}
