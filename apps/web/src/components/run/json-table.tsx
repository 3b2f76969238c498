import { flattenForDisplay } from "@/lib/flatten";

/** Key/value view of a JSON object (config, system info, summary), nested keys dotted. */
export function JsonTable({ value, label }: { value: Record<string, unknown>; label: string }) {
  const entries = Object.entries(flattenForDisplay(value));
  if (!entries.length) return <p className="muted">No {label}.</p>;
  return (
    <dl className="kv" aria-label={label}>
      {entries.map(([k, v]) => (
        <div key={k} style={{ display: "contents" }}>
          <dt className="mono">{k}</dt>
          <dd className="mono">{v}</dd>
        </div>
      ))}
    </dl>
  );
}
