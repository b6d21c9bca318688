import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { portalLinksOf } from '../../../src/alerting/notificationContent.js';
import type { CloudName } from '../../../src/keys/clouds.js';
import { ApiFailure } from '../api.js';
import type { Alert, AlertTriage } from '../types.js';

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

/** Where to act on an alert in the cloud's portals, the same links Teams and e-mail carry; one of each. */
export function PortalLinks(props: { readonly alerts: readonly Alert[]; readonly cloud: CloudName }) {
  const links = new Map(props.alerts.flatMap((alert) => portalLinksOf(alert, props.cloud)).map((link) => [link.url, link.title]));
  return (
    <>
      <h2>Where to act</h2>
      <ul>
        {[...links].map(([url, title]) => (
          <li>
            <a href={url} target="_blank" rel="noopener noreferrer">
              {title}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}

/** Who decided what about an alert or incident, and why. */
export function TriageRecord(props: { readonly triage: AlertTriage | undefined }) {
  const triage = props.triage;
  if (triage === undefined) return null;
  return (
    <p class="triage">
      {triage.status} by {triage.by.userPrincipalName ?? triage.by.objectId} at {when(triage.at)}
      {triage.note === undefined ? '' : `: ${triage.note}`}
    </p>
  );
}

/** Acknowledge or resolve with an optional note; `post` makes the call and words what came of it. */
export function TriageForm(props: { readonly post: (verb: 'ack' | 'resolve', body: { note?: string }) => Promise<string>; readonly onDone: () => void }) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const triage = async (verb: 'ack' | 'resolve') => {
    try {
      setMessage(await props.post(verb, note === '' ? {} : { note }));
      props.onDone();
    } catch (error) {
      setMessage(error instanceof ApiFailure ? `Refused: ${error.message}` : String(error));
    }
  };
  return (
    <>
      <h2>Triage</h2>
      <label>
        Note <input value={note} onInput={(event) => setNote(event.currentTarget.value)} maxLength={2000} />
      </label>{' '}
      <button type="button" onClick={() => void triage('ack')}>
        Acknowledge
      </button>{' '}
      <button type="button" onClick={() => void triage('resolve')}>
        Resolve
      </button>
      {message && <p role="status">{message}</p>}
    </>
  );
}
