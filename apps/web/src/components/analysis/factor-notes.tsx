"use client";
import type { RunFilter } from "@finetrack/contracts";
import type { RouterOutputs } from "@/trpc/types";

type Impact = RouterOutputs["analysis"]["factorImpact"];
type Result = NonNullable<Impact["result"]>;

const REASONS: Record<string, string> = {
  seed: "the seed (noise floor, not a factor)",
  bookkeeping: "bookkeeping (names, paths, dirs, report_to, hub ids, times, tags)",
  constant: "constant across these runs",
  identity: "free text with about one value per run",
};
const LABEL: Record<string, string> = { baseModel: "base model", dataset: "dataset", method: "method" };
const label = (f: string) => LABEL[f] ?? f;

/** How the factors were read from the configs: aliases, keys that follow a factor, keys set aside, seed noise, scope. */
export function FactorNotes({ data, result, filter, hrefFor, derived, onDerived }: {
  data: Impact;
  result: Result;
  filter: RunFilter;
  hrefFor: (filter: RunFilter) => string;
  derived: boolean;
  onDerived: (on: boolean) => void;
}) {
  const sel = data.selection;
  const byReason = new Map<string, string[]>();
  for (const e of sel?.excluded ?? []) byReason.set(e.reason, [...(byReason.get(e.reason) ?? []), e.key]);
  return (
    <section className="panel stack" aria-label="How the factors were chosen" data-testid="factor-notes">
      <h2 style={{ margin: 0 }}>Factors</h2>
      <p style={{ margin: 0 }}>
        {data.factors.length} factor{data.factors.length === 1 ? "" : "s"}, by importance: <span className="mono">{result.factors.map((f) => f.name).join(", ")}</span>
        {result.noise && (
          <>
            {" "}
            · <span data-testid="seed-noise">{result.noise.text}</span>
          </>
        )}
      </p>
      {sel && (
        <ul style={{ margin: 0 }}>
          {sel.aliases.map((a) => (
            <li key={a.factor} data-testid="alias-note">
              <span className="mono">{a.keys.join(" = ")}</span> are one factor, <span className="mono">{a.factor}</span>
            </li>
          ))}
          {sel.followers.map((f) => (
            <li key={f.factor} data-testid="follower-note">
              <details>
                <summary>
                  {f.keys.length} key{f.keys.length === 1 ? "" : "s"} follow from {label(f.factor)}
                  {f.aliased.length ? ` (${f.aliased.length} change with it one to one)` : ""}
                </summary>
                <span className="mono muted">{f.keys.join(", ")}</span>
              </details>
            </li>
          ))}
          {[...byReason].map(([reason, keys]) => (
            <li key={reason} className="muted">
              <details>
                <summary>
                  {keys.length} key{keys.length === 1 ? "" : "s"} left out: {REASONS[reason] ?? reason}
                </summary>
                <span className="mono">{keys.join(", ")}</span>
              </details>
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <span className="muted">
          {data.scope.runs} runs
          {data.scope.derivedExcluded > 0 && !derived ? `; ${data.scope.derivedExcluded} derived runs (compression children) left out` : ""}
        </span>
        {(data.scope.derivedExcluded > 0 || derived) && (
          <label>
            <input type="checkbox" checked={derived} onChange={(e) => onDerived(e.target.checked)} /> include derived runs
          </label>
        )}
        {!(filter.group?.length === 1) &&
          data.scope.groups.slice(0, 8).map((g) => (
            // A full load: the page reads its state from the URL once.
            <a key={g.name} className="badge" href={hrefFor({ ...filter, group: [g.name] })} data-testid="group-link">
              only group {g.name} ({g.runs} runs)
            </a>
          ))}
      </div>
    </section>
  );
}

/** Pairs of factors that move together: the measure, what changes, and the runs to add. */
export function ConfoundingPanel({ result }: { result: Result }) {
  if (!result.confounding.length) return null;
  return (
    <section className="panel stack" aria-label="Confounding" data-testid="confounding">
      <h2 style={{ margin: 0 }}>Confounded factors</h2>
      {result.confounding.map((w) => (
        <div key={w.factors.join("|")} className="stack" data-testid="confounding-warning">
          <strong>{w.text}</strong>
          <span>Accounted for: {w.changes}.</span>
          {w.suggestions.length > 0 && (
            <span>
              To break it:{" "}
              {w.suggestions.map((s, i) => (
                <span key={s.text} data-testid="suggested-run">
                  {i > 0 ? "; " : ""}
                  {s.text}
                </span>
              ))}
              .
            </span>
          )}
        </div>
      ))}
    </section>
  );
}
