import { useState } from 'preact/hooks';
import type { CloudName } from '../../../src/keys/clouds.js';
import type { Api } from '../api.js';
import type { Alert, AlertPage, DetectionList } from '../types.js';
import { counted, Loading, PortalLinks, Rows, SEVERITIES, TriageForm, TriageRecord, useLoad, usePages, when } from './shared.js';

export function AlertView(props: { readonly api: Api; readonly id: string; readonly cloud: CloudName }) {
  const data = useLoad(async () => {
    const [alert, detections] = await Promise.all([
      props.api.get<Alert>(`/alerts/${encodeURIComponent(props.id)}`),
      props.api.get<DetectionList>('/detections'),
    ]);
    return { ...alert.body, runbook: detections.body.items.find((detection) => detection.id === alert.body.detection)?.runbook };
  }, [props.api, props.id]);
  const alert = data.value;
  return (
    <section aria-labelledby="alert-title">
      <Loading ready={alert !== undefined} error={data.error}>
        {alert && (
          <>
            <h1 id="alert-title">{alert.title}</h1>
            <p>
              <span class={`severity-${alert.severity}`}>{alert.severity}</span> · <code>{alert.detection}</code> · <span class="status">{alert.status}</span> ·
              seen {counted(alert.count, 'time')} · event {when(alert.occurredAt)} · detected {when(alert.detectedAt)}
            </p>
            <p>{alert.summary}</p>
            {alert.retraction !== undefined && (
              <section aria-labelledby="retraction-title">
                <h2 id="retraction-title">Retracted: a false alarm</h2>
                <p>{alert.retraction.reason}</p>
                <p>
                  The late record: {alert.retraction.evidence.type} <code>{alert.retraction.evidence.id}</code> (event {when(alert.retraction.evidence.time)}),
                  about {counted(alert.retraction.lateByMinutes, 'minute')} behind its stream; retracted {when(alert.retraction.at)}.
                </p>
              </section>
            )}
            {alert.runbook !== undefined && alert.retraction === undefined && (
              <>
                <h2>What to do now</h2>
                <p>{alert.runbook}</p>
              </>
            )}
            {alert.incidentId && (
              <p>
                <a href={`#/incidents/${encodeURIComponent(alert.incidentId)}`}>Its incident</a>
              </p>
            )}
            <Facts title="Who" facts={alert.actor} />
            <Facts title="What was touched" facts={{ ...(alert.decoyId === undefined ? {} : { decoy: alert.decoyId }), ...alert.target }} />
            <Facts title="Token" facts={alert.token ?? {}} />
            {alert.mitre !== undefined && (
              <p>
                ATT&amp;CK: <span>{alert.mitre.join(', ')}</span>
              </p>
            )}
            <h2>Evidence</h2>
            <ul>
              {alert.evidence.map((evidence) => (
                <li>
                  {when(evidence.time)} · {evidence.source} · {evidence.type} · <code>{evidence.id}</code>
                </li>
              ))}
            </ul>
            <PortalLinks alerts={[alert]} cloud={props.cloud} />
            <TriageRecord triage={alert.triage} />
            {alert.status !== 'retracted' && (
              <TriageForm
                post={async (verb, body) => {
                  await props.api.send('POST', `/alerts/${encodeURIComponent(props.id)}/${verb}`, body);
                  return verb === 'ack' ? 'Acknowledged.' : 'Resolved.';
                }}
                onDone={data.reload}
              />
            )}
          </>
        )}
      </Loading>
    </section>
  );
}

export function Alerts(props: { readonly api: Api }) {
  const [filter, setFilter] = useState({ status: '', severity: '', detection: '', from: '', to: '' });
  const pages = usePages();
  // The time inputs are local wall-clock time; the API takes ISO instants.
  const query = new URLSearchParams(
    Object.entries(filter).flatMap(([name, value]) => (value === '' ? [] : [[name, name === 'from' || name === 'to' ? new Date(value).toISOString() : value]])),
  );
  if (pages.continuation !== undefined) query.set('continuation', pages.continuation);
  const data = useLoad(async () => (await props.api.get<AlertPage>(`/alerts?${query.toString()}`)).body, [props.api, query.toString()]);
  const older = data.value?.continuation;
  const set = (name: keyof typeof filter) => (event: { currentTarget: { value: string } }) => {
    pages.reset();
    setFilter({ ...filter, [name]: event.currentTarget.value });
  };
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status{' '}
          <select value={filter.status} onChange={set('status')}>
            {['', 'open', 'acknowledged', 'resolved', 'suppressed', 'retracted'].map((value) => (
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
          <Rows columns={5} empty="No alert matches.">
            {(data.value?.items ?? []).map((alert) => (
              <tr>
                <td class={`severity-${alert.severity}`}>{alert.severity}</td>
                <td>
                  <a href={`#/alerts/${encodeURIComponent(alert.id)}`}>{alert.title}</a>
                </td>
                <td>
                  <code>{alert.detection}</code>
                </td>
                <td class="status">{alert.status}</td>
                <td>{when(alert.occurredAt)}</td>
              </tr>
            ))}
          </Rows>
        </table>
        <pages.Pager {...(older === undefined ? {} : { next: older })} />
      </Loading>
    </section>
  );
}

/** One group of an alert's fields (actor, target, token), named as the alert JSON names them. */
function Facts(props: { readonly title: string; readonly facts: Readonly<Record<string, unknown>> }) {
  const entries = Object.entries(props.facts).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return null;
  return (
    <>
      <h2>{props.title}</h2>
      <dl>
        {entries.map(([name, value]) => (
          <>
            <dt>{name}</dt>
            <dd>{String(value)}</dd>
          </>
        ))}
      </dl>
    </>
  );
}
