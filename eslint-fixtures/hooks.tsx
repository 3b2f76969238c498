// React hooks rules (apps/web). eslint.config.test.ts expects exactly the `expect:` comments.
import { useEffect, useState } from "react";

export function ConditionalHook({ on }: { on: boolean }) {
  if (on) useEffect(() => {}); // expect: react-hooks/rules-of-hooks
  return null;
}

export function MissingDependency({ id }: { id: string }) {
  const [seen, setSeen] = useState("");
  useEffect(() => setSeen(id), []); // expect: react-hooks/exhaustive-deps
  return <p>{seen}</p>;
}

export function Fine({ id }: { id: string }) {
  const [seen, setSeen] = useState("");
  useEffect(() => setSeen(id), [id]);
  return <p>{seen}</p>;
}
