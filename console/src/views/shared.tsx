import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Loads once per key; shows the failure as the API worded it. */
export function useLoad<T>(load: () => Promise<T>, key: unknown[]): { value?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ value?: T; error?: string }>({});
  const [round, setRound] = useState(0);
  useEffect(() => {
    let current = true;
    load().then(
      (value) => current && setState({ value }),
      (error: unknown) => current && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [...key, round]);
  return { ...state, reload: () => setRound((value) => value + 1) };
}

export function Loading(props: { readonly error?: string | undefined; readonly children?: ComponentChildren; readonly ready: boolean }) {
  if (props.error !== undefined)
    return (
      <p class="error" role="alert">
        {props.error}
      </p>
    );
  return props.ready ? <>{props.children}</> : <p>Loading…</p>;
}

export const when = (iso: string) => new Date(iso).toLocaleString();
