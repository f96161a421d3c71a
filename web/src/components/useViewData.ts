import { useCallback, useEffect, useState } from "react";
import { describeError } from "../api";

/** One part of a view's data: what it is called in an error, and how to load the fields it fills. */
export interface DataPart<D> {
  what: string;
  load: () => Promise<Partial<D>>;
}

/**
 * Loads a view's data as parts in parallel. A part that fails keeps its last values and is named in the error, so
 * one slow service does not blank the whole page. `parts` is rebuilt when `key` changes (e.g. the signed-in account).
 */
export function useViewData<D>(initial: D, firstLoading: string, parts: () => DataPart<D>[], key: unknown) {
  const [data, setData] = useState<D>(initial);
  const [loading, setLoading] = useState<string | undefined>(firstLoading);
  const [error, setError] = useState<string>();

  // `parts` is a fresh closure each render; `key` says when what it loads changes.
  const load = useCallback(parts, [key]);

  const reload = useCallback(async () => {
    setLoading((l) => l ?? "Refreshing");
    const wanted = load();
    const answers = await Promise.allSettled(wanted.map((part) => part.load()));
    const failures = new Set<string>();
    let fields: Partial<D> = {};
    answers.forEach((answer, i) => {
      if (answer.status === "fulfilled") fields = { ...fields, ...answer.value };
      else failures.add(`${wanted[i].what}: ${describeError(answer.reason)}`);
    });
    setData((old) => ({ ...old, ...fields }));
    setError(failures.size === 0 ? undefined : `Could not load ${[...failures].join("; ")}`);
    setLoading(undefined);
  }, [load]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return { data, loading, error, reload };
}
