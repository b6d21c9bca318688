import { useEffect, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { type Api, ApiFailure } from './api.js';
import { TimeChart } from './chart.js';
import type {
  Alert,
  AlertPage,
  AuditPage,
  DeadLetterPage,
  DecoyChange,
  DecoyList,
  DecoyResource,
  DetectionList,
  Incident,
  IncidentPage,
  Status,
} from './types.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

/** Loads once per key; shows the failure as the API worded it. */
function useLoad<T>(load: () => Promise<T>, key: unknown[]): { value?: T; error?: string; reload: () => void } {
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

function Loading(props: { readonly error?: string | undefined; readonly children?: ComponentChildren; readonly ready: boolean }) {
  if (props.error !== undefined)
    return (
      <p class="error" role="alert">
        {props.error}
      </p>
    );
  return props.ready ? <>{props.children}</> : <p>Loading…</p>;
}

const when = (iso: string) => new Date(iso).toLocaleString();

export function Overview(props: { readonly api: Api }) {
  const [days, setDays] = useState(1);
  const data = useLoad(async () => {
    const [status, incidents, alerts] = await Promise.all([
      props.api.get<Status>('/status'),
      props.api.get<IncidentPage>('/incidents?status=open'),
      props.api.get<AlertPage>('/alerts?top=500'),
    ]);
    return { status: status.body, incidents: incidents.body.items, alerts: alerts.body.items };
  }, [props.api]);
  const value = data.value;
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <Loading ready={value !== undefined} error={data.error}>
        {value && (
          <>
            <h2>Open incidents</h2>
            <ul class="counts">
              {SEVERITIES.map((severity) => (
                <li class={`severity-${severity}`}>
                  <span>{severity}</span> <strong>{value.incidents.filter((incident) => incident.severity === severity).length}</strong>
                </li>
              ))}
            </ul>
            <h2>Alerts</h2>
            <label>
              Over{' '}
              <select value={String(days)} onChange={(event) => setDays(Number(event.currentTarget.value))}>
                <option value="1">24 hours</option>
                <option value="7">7 days</option>
              </select>
            </label>
            <AlertsChart alerts={value.alerts} days={days} />
            <h2>Streams</h2>
            <table>
              <thead>
                <tr>
                  <th>stream</th>
                  <th>expected</th>
                  <th>last arrival</th>
                  <th>lag</th>
                  <th>state</th>
                </tr>
              </thead>
              <tbody>
                {value.status.sources.map((source) => (
                  <tr class={source.silent || (source.expected && !source.delivered) ? 'bad' : ''}>
                    <td>{source.stream}</td>
                    <td>{source.expected ? 'yes' : 'no'}</td>
                    <td>{source.lastArrivalAt === undefined ? 'never' : when(source.lastArrivalAt)}</td>
                    <td>{source.lagInSeconds === undefined ? '' : `${Math.round(source.lagInSeconds / 60)} min`}</td>
                    <td>{source.silent ? 'silent' : source.delivered ? 'flowing' : (source.likelyCause ?? 'waiting for its first record')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Last hour</h2>
            <table>
              <thead>
                <tr>
                  <th>origin</th>
                  <th>records</th>
                  <th>dead letters</th>
                </tr>
              </thead>
              <tbody>
                {value.status.lastHour.map((origin) => (
                  <tr class={origin.deadLettered > 0 ? 'bad' : ''}>
                    <td>{origin.origin}</td>
                    <td>{origin.records}</td>
                    <td>{origin.deadLettered}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Delivery</h2>
            <table>
              <thead>
                <tr>
                  <th>channel</th>
                  <th>state</th>
                </tr>
              </thead>
              <tbody>
                {value.status.channels.map((channel) => (
                  <tr>
                    <td>{channel.channel}</td>
                    <td>{JSON.stringify({ ...channel, channel: undefined })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h2>Signing keys</h2>
            <ul>
              {value.status.keySets.map((set) => (
                <li class={set.stale ? 'bad' : ''}>
                  {set.set}: fetched {set.ageInMinutes} minutes ago{set.stale ? ' (stale)' : ''}
                </li>
              ))}
            </ul>
          </>
        )}
      </Loading>
    </section>
  );
}

/**
 * Alerts per hour (per day over a week), one series per severity, over the window ending now; when nothing
 * happened in it, over the window ending at the newest alert, and the caption says so.
 */
function AlertsChart(props: { readonly alerts: readonly Alert[]; readonly days: number }) {
  const step = props.days === 1 ? 3600 : 86_400;
  const buckets = props.days === 1 ? 24 : 7;
  const now = Date.now() / 1000;
  const newest = Math.max(...props.alerts.map((alert) => Date.parse(alert.occurredAt) / 1000));
  const quiet = !(newest > now - buckets * step);
  const endsAt = quiet && Number.isFinite(newest) ? newest : now;
  const end = Math.ceil(endsAt / step) * step;
  const times = Array.from({ length: buckets }, (_unused, index) => end - (buckets - index) * step);
  const inBucket = (alert: Alert, start: number) => Date.parse(alert.occurredAt) / 1000 >= start && Date.parse(alert.occurredAt) / 1000 < start + step;
  const series = SEVERITIES.map((severity) => ({
    label: severity,
    values: times.map((start) => props.alerts.filter((alert) => alert.severity === severity && inBucket(alert, start)).length),
  }));
  const span = props.days === 1 ? '24 hours' : '7 days';
  return (
    <>
      {quiet && Number.isFinite(newest) && (
        <p>
          No alert in the last {span}: these are the {span} up to the newest, at {when(new Date(newest * 1000).toISOString())}.
        </p>
      )}
      <TimeChart label={`Alerts per ${props.days === 1 ? 'hour' : 'day'}, by severity`} times={times} series={series} />
    </>
  );
}

export function Incidents(props: { readonly api: Api }) {
  const data = useLoad(async () => (await props.api.get<IncidentPage>('/incidents')).body.items, [props.api]);
  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidents</h1>
      <Loading ready={data.value !== undefined} error={data.error}>
        <table>
          <thead>
            <tr>
              <th>severity</th>
              <th>incident</th>
              <th>status</th>
              <th>alerts</th>
              <th>last event</th>
            </tr>
          </thead>
          <tbody>
            {(data.value ?? []).map((incident) => (
              <tr>
                <td class={`severity-${incident.severity}`}>{incident.severity}</td>
                <td>
                  <a href={`#/incidents/${encodeURIComponent(incident.id)}`}>{incident.title}</a>
                </td>
                <td>{incident.status}</td>
                <td>{incident.alertIds.length}</td>
                <td>{when(incident.lastOccurredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </section>
  );
}

export function IncidentView(props: { readonly api: Api; readonly id: string }) {
  const data = useLoad(async () => {
    const [incident, detections] = await Promise.all([
      props.api.get<Incident>(`/incidents/${encodeURIComponent(props.id)}`),
      props.api.get<DetectionList>('/detections'),
    ]);
    const alerts = await Promise.all(incident.body.alertIds.map(async (id) => (await props.api.get<Alert>(`/alerts/${encodeURIComponent(id)}`)).body));
    return { incident: incident.body, detections: detections.body.items, alerts: alerts.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt)) };
  }, [props.api, props.id]);
  const value = data.value;
  return (
    <section aria-labelledby="incident-title">
      <Loading ready={value !== undefined} error={data.error}>
        {value && (
          <>
            <h1 id="incident-title">{value.incident.title}</h1>
            <p>
              <span class={`severity-${value.incident.severity}`}>{value.incident.severity}</span> · {value.incident.status} ·{' '}
              {when(value.incident.firstOccurredAt)} – {when(value.incident.lastOccurredAt)}
            </p>
            <h2>Timeline</h2>
            <TimeChart
              label="The incident's alerts by event time and severity"
              points
              times={value.alerts.map((alert) => Date.parse(alert.occurredAt) / 1000)}
              series={[{ label: 'severity (4 critical … 1 low)', values: value.alerts.map((alert) => 4 - SEVERITIES.indexOf(alert.severity)) }]}
            />
            <ol class="timeline">
              {value.alerts.map((alert) => (
                <li>
                  <time dateTime={alert.occurredAt}>{when(alert.occurredAt)}</time> <span class={`severity-${alert.severity}`}>{alert.severity}</span>{' '}
                  <a href={`#/alerts/${alert.id}`}>{alert.title}</a> <span class="status">{alert.status}</span>
                </li>
              ))}
            </ol>
            <h2>What to do now</h2>
            <dl>
              {value.detections
                .filter((detection) => value.incident.detections.includes(detection.id))
                .map((detection) => (
                  <>
                    <dt>
                      {detection.title} (<code>{detection.id}</code>)
                    </dt>
                    <dd>{detection.runbook}</dd>
                  </>
                ))}
            </dl>
            <h2>What joined them</h2>
            <ul>
              {value.incident.actorKeys.map((key) => (
                <li>
                  <code>{key}</code>
                </li>
              ))}
            </ul>
          </>
        )}
      </Loading>
    </section>
  );
}

export function AlertView(props: { readonly api: Api; readonly id: string }) {
  const data = useLoad(async () => {
    const [alert, detections] = await Promise.all([
      props.api.get<Alert>(`/alerts/${encodeURIComponent(props.id)}`),
      props.api.get<DetectionList>('/detections'),
    ]);
    return { ...alert.body, runbook: detections.body.items.find((detection) => detection.id === alert.body.detection)?.runbook };
  }, [props.api, props.id]);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | undefined>();
  const triage = async (verb: 'ack' | 'resolve') => {
    try {
      await props.api.send('POST', `/alerts/${encodeURIComponent(props.id)}/${verb}`, note === '' ? {} : { note });
      setMessage(verb === 'ack' ? 'Acknowledged.' : 'Resolved.');
      data.reload();
    } catch (error) {
      setMessage(error instanceof ApiFailure ? `Refused: ${error.message}` : String(error));
    }
  };
  const alert = data.value;
  return (
    <section aria-labelledby="alert-title">
      <Loading ready={alert !== undefined} error={data.error}>
        {alert && (
          <>
            <h1 id="alert-title">{alert.title}</h1>
            <p>
              <span class={`severity-${alert.severity}`}>{alert.severity}</span> · <code>{alert.detection}</code> · <span class="status">{alert.status}</span> ·
              seen {alert.count} times · {when(alert.occurredAt)}
            </p>
            <p>{alert.summary}</p>
            {alert.runbook !== undefined && (
              <>
                <h2>What to do now</h2>
                <p>{alert.runbook}</p>
              </>
            )}
            {alert.incidentId && (
              <p>
                <a href={`#/incidents/${alert.incidentId}`}>Its incident</a>
              </p>
            )}
            <h2>Actor and target</h2>
            <dl>
              {Object.entries({ ...alert.actor, ...alert.target }).map(([name, value]) => (
                <>
                  <dt>{name}</dt>
                  <dd>{String(value)}</dd>
                </>
              ))}
            </dl>
            <h2>Evidence</h2>
            <ul>
              {alert.evidence.map((evidence) => (
                <li>
                  {when(evidence.time)} · {evidence.source} · {evidence.type} · <code>{evidence.id}</code>
                </li>
              ))}
            </ul>
            {alert.triage && (
              <p>
                {alert.triage.status} by {alert.triage.by.userPrincipalName ?? alert.triage.by.objectId} at {when(alert.triage.at)}
                {alert.triage.note === undefined ? '' : `: ${alert.triage.note}`}
              </p>
            )}
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
        )}
      </Loading>
    </section>
  );
}

export function Alerts(props: { readonly api: Api }) {
  const [filter, setFilter] = useState({ status: '', severity: '', detection: '', from: '', to: '' });
  const [pages, setPages] = useState<string[]>([]);
  // The time inputs are local wall-clock time; the API takes ISO instants.
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([name, value]) => (value === '' ? [] : [[name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value]])),
  );
  const continuation = pages.at(-1);
  if (continuation !== undefined) query.set('continuation', continuation);
  const data = useLoad(async () => (await props.api.get<AlertPage>(`/alerts?${query.toString()}`)).body, [props.api, query.toString()]);
  const older = data.value?.continuation;
  const set = (name: keyof typeof filter) => (event: { currentTarget: { value: string } }) => {
    setPages([]);
    setFilter({ ...filter, [name]: event.currentTarget.value });
  };
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status{' '}
          <select value={filter.status} onChange={set('status')}>
            {['', 'open', 'acknowledged', 'resolved', 'suppressed'].map((value) => (
              <option value={value}>{value || 'any'}</option>
            ))}
          </select>
        </label>
        <label>
          Severity{' '}
          <select value={filter.severity} onChange={set('severity')}>
            {['', ...SEVERITIES].map((value) => (
              <option value={value}>{value || 'any'}</option>
            ))}
          </select>
        </label>
        <label>
          Detection <input value={filter.detection} onChange={set('detection')} placeholder="decoy.user.signIn" />
        </label>
        <label>
          From <input type="datetime-local" value={filter.from} onChange={set('from')} />
        </label>
        <label>
          To <input type="datetime-local" value={filter.to} onChange={set('to')} />
        </label>
      </form>
      <Loading ready={data.value !== undefined} error={data.error}>
        <table>
          <thead>
            <tr>
              <th>severity</th>
              <th>alert</th>
              <th>detection</th>
              <th>status</th>
              <th>event time</th>
            </tr>
          </thead>
          <tbody>
            {(data.value?.items ?? []).map((alert) => (
              <tr>
                <td class={`severity-${alert.severity}`}>{alert.severity}</td>
                <td>
                  <a href={`#/alerts/${alert.id}`}>{alert.title}</a>
                </td>
                <td>
                  <code>{alert.detection}</code>
                </td>
                <td class="status">{alert.status}</td>
                <td>{when(alert.occurredAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {pages.length > 0 && (
          <button type="button" onClick={() => setPages(pages.slice(0, -1))}>
            Newer
          </button>
        )}{' '}
        {older !== undefined && (
          <button type="button" onClick={() => setPages([...pages, older])}>
            Older
          </button>
        )}
      </Loading>
    </section>
  );
}

export function Decoys(props: { readonly api: Api }) {
  const data = useLoad(async () => (await props.api.get<DecoyList>('/decoys')).body.items, [props.api]);
  const [message, setMessage] = useState<string | undefined>();
  const [material, setMaterial] = useState<{ text: string; advice?: string } | undefined>();
  const [newId, setNewId] = useState('');
  const report = (error: unknown) =>
    setMessage(
      error instanceof ApiFailure
        ? error.status === 412
          ? 'Someone changed this decoy since you loaded it: reload and try again.'
          : `Refused: ${error.message}`
        : String(error),
    );
  const toggle = async (item: DecoyResource, memo: string) => {
    try {
      // The change is made at the version just read: a stale edit is refused (412), never written over.
      const current = await props.api.get<DecoyResource>(`/decoys/${encodeURIComponent(item.decoy.id)}`);
      await props.api.send(
        'PATCH',
        `/decoys/${encodeURIComponent(item.decoy.id)}`,
        { enabled: !item.decoy.enabled, ...(memo === '' ? {} : { memo }) },
        current.etag,
      );
      setMessage(`${item.decoy.id} ${!item.decoy.enabled ? 'enabled' : 'disabled'}.`);
      data.reload();
    } catch (error) {
      report(error);
    }
  };
  const rotate = async (id: string) => {
    try {
      const rotated = (await props.api.send<DecoyChange>('POST', `/decoys/${encodeURIComponent(id)}/rotate`)).body;
      if (rotated.material !== undefined) setMaterial({ text: rotated.material, ...(rotated.advice === undefined ? {} : { advice: rotated.advice }) });
      setMessage(`${id} rotated.`);
      data.reload();
    } catch (error) {
      report(error);
    }
  };
  const retire = async (id: string) => {
    if (!confirm(`Retire ${id}? Lure removes it from the tenant and stops watching it.`)) return;
    try {
      await props.api.send('DELETE', `/decoys/${encodeURIComponent(id)}`);
      setMessage(`${id} retired.`);
      data.reload();
    } catch (error) {
      report(error);
    }
  };
  const createHoneytoken = async () => {
    try {
      const created = (await props.api.send<DecoyChange>('POST', '/decoys', { create: { kind: 'token', id: newId } })).body;
      if (created.material !== undefined) setMaterial({ text: created.material, ...(created.advice === undefined ? {} : { advice: created.advice }) });
      setMessage(`${newId} created.`);
      data.reload();
    } catch (error) {
      report(error);
    }
  };
  return (
    <section aria-labelledby="decoys-title">
      <h1 id="decoys-title">Decoys</h1>
      {message && <p role="status">{message}</p>}
      {material !== undefined && (
        <div class="material" role="region" aria-label="Lure material">
          <p>
            <strong>Plant this now: you will not see it again.</strong>
          </p>
          {material.advice !== undefined && <p>{material.advice}</p>}
          <pre>{material.text}</pre>
          <button type="button" onClick={() => void navigator.clipboard.writeText(material.text)}>
            Copy
          </button>{' '}
          <button type="button" onClick={() => setMaterial(undefined)}>
            I have planted it
          </button>
        </div>
      )}
      <Loading ready={data.value !== undefined} error={data.error}>
        <table>
          <thead>
            <tr>
              <th>decoy</th>
              <th>kind</th>
              <th>enabled</th>
              <th>next rotation</th>
              <th>memo</th>
              <th>change</th>
            </tr>
          </thead>
          <tbody>
            {(data.value ?? []).map((item) => (
              <DecoyRow
                item={item}
                onToggle={(memo) => void toggle(item, memo)}
                onRotate={() => void rotate(item.decoy.id)}
                onRetire={() => void retire(item.decoy.id)}
              />
            ))}
          </tbody>
        </table>
      </Loading>
      <h2>New honeytoken</h2>
      <label>
        Id <input value={newId} onInput={(event) => setNewId(event.currentTarget.value)} placeholder="d-token-build-server" />
      </label>{' '}
      <button type="button" onClick={() => void createHoneytoken()} disabled={newId === ''}>
        Create
      </button>
    </section>
  );
}

function DecoyRow(props: {
  readonly item: DecoyResource;
  readonly onToggle: (memo: string) => void;
  readonly onRotate: () => void;
  readonly onRetire: () => void;
}) {
  const [memo, setMemo] = useState('');
  const { decoy, lifecycle } = props.item;
  const enabled = decoy.enabled;
  return (
    <tr>
      <td>{decoy.id}</td>
      <td>{decoy.kind}</td>
      <td>{enabled ? 'yes' : 'no'}</td>
      <td>{lifecycle === undefined ? 'planted by hand' : lifecycle.generations.length}</td>
      <td>{lifecycle?.nextRotationAt === undefined ? '' : when(lifecycle.nextRotationAt)}</td>
      <td class={lifecycle?.lastFailure === undefined ? '' : 'bad'}>
        {lifecycle?.lastFailure === undefined ? '' : `${when(lifecycle.lastFailure.at)}: ${lifecycle.lastFailure.message}`}
      </td>
      <td>{decoy.memo ?? ''}</td>
      <td>
        <input aria-label={`Memo for ${decoy.id}`} value={memo} onInput={(event) => setMemo(event.currentTarget.value)} placeholder="why" />{' '}
        <button type="button" onClick={() => props.onToggle(memo)}>
          {enabled ? `Disable ${decoy.id}` : `Enable ${decoy.id}`}
        </button>{' '}
        {lifecycle !== undefined && (
          <>
            <button type="button" onClick={props.onRotate}>
              Rotate {decoy.id}
            </button>{' '}
            <button type="button" onClick={props.onRetire}>
              Retire {decoy.id}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

export function Audit(props: { readonly api: Api }) {
  const data = useLoad(async () => (await props.api.get<AuditPage>('/audit')).body.items, [props.api]);
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit trail</h1>
      <Loading ready={data.value !== undefined} error={data.error}>
        <table>
          <thead>
            <tr>
              <th>when</th>
              <th>who</th>
              <th>action</th>
              <th>target</th>
              <th>outcome</th>
              <th>detail</th>
            </tr>
          </thead>
          <tbody>
            {(data.value ?? []).map((entry) => (
              <tr>
                <td>{when(entry.at)}</td>
                <td>{entry.caller.userPrincipalName ?? entry.caller.appId ?? entry.caller.objectId}</td>
                <td>{entry.action}</td>
                <td>{entry.target}</td>
                <td>{entry.outcome}</td>
                <td>{entry.detail ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </section>
  );
}

export function DeadLetters(props: { readonly api: Api }) {
  const data = useLoad(async () => (await props.api.get<DeadLetterPage>('/dead-letters')).body.items, [props.api]);
  return (
    <section aria-labelledby="dead-title">
      <h1 id="dead-title">Dead letters</h1>
      <Loading ready={data.value !== undefined} error={data.error}>
        <table>
          <thead>
            <tr>
              <th>received</th>
              <th>origin</th>
              <th>reason</th>
              <th>detail</th>
              <th>excerpt (redacted)</th>
            </tr>
          </thead>
          <tbody>
            {(data.value ?? []).map((letter) => (
              <tr>
                <td>{when(letter.receivedAt)}</td>
                <td>{letter.origin}</td>
                <td>{letter.reason}</td>
                <td>{letter.detail}</td>
                <td>
                  <code>{letter.excerpt}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Loading>
    </section>
  );
}
