import { render } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api } from './api.js';
import { consoleConfig, entraSession, localSession, type Session, useLocalToken } from './auth.js';
import type { CloudName } from '../../src/keys/clouds.js';
import type { ConsoleConfig } from './types.js';
import { Alerts, AlertView } from './views/alerts.js';
import { Decoys } from './views/decoys.js';
import { IncidentView, Incidents } from './views/incidents.js';
import { Overview } from './views/overview.js';
import { Audit, DeadLetters } from './views/trail.js';

const PAGES = [
  ['overview', 'Overview'],
  ['incidents', 'Incidents'],
  ['alerts', 'Alerts'],
  ['decoys', 'Decoys'],
  ['audit', 'Audit trail'],
  ['dead-letters', 'Dead letters'],
] as const;

function useRoute(): string[] {
  const read = () =>
    location.hash
      .replace(/^#\/?/, '')
      .split('/')
      .filter((part) => part !== '')
      .map(decodeURIComponent);
  const [route, setRoute] = useState(read);
  useEffect(() => {
    const changed = () => setRoute(read());
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function Page(props: { readonly api: Api; readonly cloud: CloudName; readonly page: string; readonly id: string | undefined }) {
  const { page, id } = props;
  // Keyed by id: what was typed or said about one alert or incident never shows on the next.
  if (page === 'incidents' && id !== undefined) return <IncidentView key={id} api={props.api} id={id} cloud={props.cloud} />;
  if (page === 'alerts' && id !== undefined) return <AlertView key={id} api={props.api} id={id} cloud={props.cloud} />;
  switch (page) {
    case 'incidents':
      return <Incidents api={props.api} />;
    case 'alerts':
      return <Alerts api={props.api} />;
    case 'decoys':
      return <Decoys api={props.api} />;
    case 'audit':
      return <Audit api={props.api} />;
    case 'dead-letters':
      return <DeadLetters api={props.api} />;
    default:
      return <Overview api={props.api} />;
  }
}

function SignedIn(props: { readonly session: Session; readonly cloud: CloudName; readonly onSignOut: () => void }) {
  const api = useMemo(() => new Api(() => props.session.token()), [props.session]);
  const [page = 'overview', id] = useRoute();
  const label = PAGES.find(([name]) => name === page)?.[1] ?? 'Overview';
  useEffect(() => {
    document.title = `${id === undefined ? label : `${label}: ${id}`} · Lure`;
  }, [label, id]);
  return (
    <>
      <header>
        <nav aria-label="Console">
          <strong>Lure</strong>
          {PAGES.map(([name, text]) => (
            <a href={`#/${name}`} aria-current={name === page ? 'page' : undefined}>
              {text}
            </a>
          ))}
        </nav>
        <span class="who">{props.session.name}</span>{' '}
        <button type="button" onClick={() => void props.session.signOut().then(props.onSignOut)}>
          Sign out
        </button>
      </header>
      <main>
        <Page api={api} cloud={props.cloud} page={page} id={id} />
      </main>
    </>
  );
}

function LocalSignIn(props: { readonly onSession: (session: Session) => void; readonly problem?: string }) {
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState(props.problem);
  const signIn = () => {
    try {
      props.onSession(useLocalToken(token));
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };
  return (
    <section aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">Sign in to the local Lure</h1>
      <p>
        Open the one-time link <code>npm start</code> printed, or paste a token from <code>npx lure dev-token --role Lure.Admin</code> (or{' '}
        <code>Lure.Reader</code>).
      </p>
      <label>
        Token <input value={token} onInput={(event) => setToken(event.currentTarget.value)} autoComplete="off" />
      </label>{' '}
      <button type="button" disabled={token === ''} onClick={signIn}>
        Sign in
      </button>
      {problem !== undefined && (
        <p class="error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}

function App() {
  const [state, setState] = useState<{ config?: ConsoleConfig; session?: Session; signIn?: () => Promise<void>; error?: string; problem?: string }>({});
  const start = async () => {
    const config = await consoleConfig();
    if (config.mode === 'local') setState({ config, ...(await localSession()) });
    else if (config.mode === 'entra') {
      const { session, signIn } = await entraSession(config);
      setState(session === undefined ? { config, signIn } : { config, session, signIn });
    } else setState({ config });
  };
  useEffect(() => {
    start().catch((error: unknown) => setState({ error: error instanceof Error ? error.message : String(error) }));
  }, []);
  if (state.session !== undefined && state.config !== undefined)
    return <SignedIn session={state.session} cloud={state.config.cloud} onSignOut={() => setState({ config: state.config })} />;
  return <main>{signedOut(state, (session) => setState({ ...state, session }))}</main>;
}

/** What a person who is not signed in sees. */
function signedOut(
  state: { readonly config?: ConsoleConfig; readonly signIn?: () => Promise<void>; readonly error?: string; readonly problem?: string },
  onSession: (session: Session) => void,
) {
  if (state.error !== undefined) return <p role="alert">{state.error}</p>;
  if (state.config === undefined) return <p>Loading…</p>;
  if (state.config.mode === 'local') return <LocalSignIn onSession={onSession} {...(state.problem === undefined ? {} : { problem: state.problem })} />;
  if (state.config.mode === 'entra')
    return (
      <section>
        <h1>Lure</h1>
        <button type="button" onClick={() => void state.signIn?.()}>
          Sign in with Microsoft Entra ID
        </button>
      </section>
    );
  return <p role="alert">The admin API is not configured: set LURE_TENANT_ID and LURE_API_CLIENT_ID.</p>;
}

const root = document.getElementById('app');
if (root !== null) {
  // The page's "Loading…" text is for a browser that has not run the script yet.
  root.textContent = '';
  render(<App />, root);
}
