import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { portalLinksOf } from '../../../src/alerting/notificationContent.js';
import type { CloudName } from '../../../src/keys/clouds.js';
import { type Api, ApiFailure } from '../api.js';
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

/** Every page of a paged list, following `continuation`, up to `maxPages` (`capped` says the rest was left). */
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters -- the caller names what the API answers, as with Api.get
export async function allPages<T>(api: Api, path: string, maxPages = 20): Promise<{ items: T[]; capped: boolean }> {
  const items: T[] = [];
  type Page = { items: T[]; continuation?: string };
  let continuation: string | undefined;
  for (let page = 0; page < maxPages; page += 1) {
    const answer: Page = (await api.get<Page>(withContinuation(path, continuation))).body;
    items.push(...answer.items);
    continuation = answer.continuation;
    if (continuation === undefined) return { items, capped: false };
  }
  return { items, capped: true };
}

/** Pages of a list the API pages: the continuation to ask with, and Newer / Older buttons. */
export function usePages(): {
  readonly continuation?: string;
  readonly reset: () => void;
  readonly Pager: (props: { readonly next?: string }) => preact.JSX.Element;
} {
  const [pages, setPages] = useState<string[]>([]);
  const continuation = pages.at(-1);
  return {
    ...(continuation === undefined ? {} : { continuation }),
    reset: () => setPages([]),
    Pager: (props) => (
      <p>
        {pages.length > 0 && (
          <button type="button" onClick={() => setPages(pages.slice(0, -1))}>
            Newer
          </button>
        )}{' '}
        {props.next !== undefined && (
          <button type="button" onClick={() => setPages([...pages, ...(props.next === undefined ? [] : [props.next])])}>
            Older
          </button>
        )}
      </p>
    ),
  };
}

/** `path` with the continuation to ask for, if any. */
export function withContinuation(path: string, continuation: string | undefined): string {
  if (continuation === undefined) return path;
  return `${path}${path.includes('?') ? '&' : '?'}continuation=${encodeURIComponent(continuation)}`;
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

/** A table's body, or one row saying there is nothing, across all its columns. */
export function Rows(props: { readonly columns: number; readonly empty: string; readonly children: ComponentChildren[] }) {
  return (
    <tbody>
      {props.children.length === 0 ? (
        <tr>
          <td colSpan={props.columns} class="empty">
            {props.empty}
          </td>
        </tr>
      ) : (
        props.children
      )}
    </tbody>
  );
}

/** Local time with its zone, since notifications and logs speak UTC. */
export const when = (iso: string) => new Date(iso).toLocaleString(undefined, { timeZoneName: 'short' });

/** `n thing` or `n things`. */
export const counted = (count: number, thing: string) => `${count} ${thing}${count === 1 ? '' : 's'}`;

/** Where to act on an alert in the cloud's portals, the same links Teams and e-mail carry; one of each, named by what they open. */
export function PortalLinks(props: { readonly alerts: readonly Alert[]; readonly cloud: CloudName }) {
  const links = new Map<string, string>();
  for (const alert of props.alerts) {
    for (const link of portalLinksOf(alert, props.cloud)) {
      const subject = /\/userId\//.test(link.url)
        ? (alert.actor.userPrincipalName ?? alert.actor.userId)
        : /\/appId\//.test(link.url)
          ? alert.actor.appId
          : undefined;
      links.set(link.url, subject === undefined ? link.title : `${link.title}: ${subject}`);
    }
  }
  return (
    <>
      <h2>Where to act</h2>
      <ul>
        {[...links].map(([url, title]) => (
          <li key={url}>
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

/**
 * Acknowledge or resolve with an optional note; `post` makes the call and words what came of it. Keyed by
 * what it triages (see `Page`), so a note never follows the analyst to the next alert.
 */
export function TriageForm(props: { readonly post: (verb: 'ack' | 'resolve', body: { note?: string }) => Promise<string>; readonly onDone: () => void }) {
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const triage = async (verb: 'ack' | 'resolve') => {
    try {
      setMessage(await props.post(verb, note === '' ? {} : { note }));
      setNote('');
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
