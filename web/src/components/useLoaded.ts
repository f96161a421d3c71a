import { useCallback, useEffect, useState, type DependencyList } from "react";
import { describeError } from "../api";

/**
 * One answer a panel reads for itself: on mount, again whenever `deps` change, and on demand (`reload`). The last
 * answer stays on screen while a new one is read; a failure is said as "`failure`: why", and cleared by the next try
 * (as useAction does for actions).
 */
export function useLoaded<T>(load: () => Promise<T>, failure: string, deps: DependencyList) {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);

  // `load` is a fresh closure each render; `deps` say when what it reads changes.
  const reload = useCallback(async () => {
    setLoading(true);
    setError(undefined);
    try {
      setValue(await load());
    } catch (err) {
      setError(`${failure}: ${describeError(err)}`);
    } finally {
      setLoading(false);
    }
  }, deps);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { value, error, loading, reload };
}
