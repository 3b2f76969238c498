"use client";
import { useEffect, useState } from "react";

/** How to use a freshly minted key: shown once, with the secret, for the SDK, Python and MLflow clients. */
export function KeySnippets({ project, secret, onDone }: { project: string; secret: string; onDone: () => void }) {
  const [origin, setOrigin] = useState("http://localhost:3000");
  useEffect(() => setOrigin(window.location.origin), []);
  const snippets = [
    { title: "Environment (SDK and CLI)", code: `export FINETRACK_URL=${origin}\nexport FINETRACK_API_KEY=${secret}` },
    { title: "Node / TypeScript", code: `import { init } from "@finetrack/sdk";\nconst run = await init({ project: "${project}" });\nrun.log({ "train/loss": 0.42 }, { step: 1 });\nawait run.finish();` },
    { title: "Python", code: `import finetrack\nrun = finetrack.init(project="${project}")\nrun.log({"train/loss": 0.42}, step=1)\nrun.finish()` },
    { title: "MLflow clients", code: `export MLFLOW_TRACKING_URI=${origin}\nexport MLFLOW_TRACKING_TOKEN=${secret}\nexport MLFLOW_EXPERIMENT_NAME=${project}` },
  ];
  return (
    <div className="panel stack" role="alert" data-testid="new-secret">
      <strong>Copy this key now — it is shown only once.</strong>
      <div className="row">
        <code style={{ userSelect: "all" }} data-testid="secret">
          {secret}
        </code>
        <button type="button" onClick={() => void navigator.clipboard?.writeText(secret)}>
          Copy
        </button>
        <button type="button" onClick={onDone}>
          Done
        </button>
      </div>
      {snippets.map((s) => (
        <div key={s.title} className="stack" data-testid="snippet">
          <span className="muted">{s.title}</span>
          <pre className="mono" style={{ margin: 0, whiteSpace: "pre-wrap" }}>
            {s.code}
          </pre>
        </div>
      ))}
    </div>
  );
}
