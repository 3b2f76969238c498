"use client";
import { useCallback, useState } from "react";
import { useSearchParams } from "next/navigation";

/**
 * View state mirrored into the query string with history.replaceState (Next keeps
 * useSearchParams in sync), so a link reproduces the view without a navigation per change.
 */
export function useUrlState<T>(read: (p: URLSearchParams) => T, write: (v: T) => string): [T, (v: T) => void] {
  const params = useSearchParams();
  const [value, setValue] = useState<T>(() => read(new URLSearchParams(params.toString())));
  const update = useCallback(
    (next: T) => {
      setValue(next);
      window.history.replaceState(null, "", `${window.location.pathname}${write(next)}`);
    },
    [write],
  );
  return [value, update];
}
