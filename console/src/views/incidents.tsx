import type { CloudName } from '../../../src/keys/clouds.js';
import type { Api } from '../api.js';
import { TimeChart } from '../chart.js';
import type { Alert, DetectionList, Incident, IncidentPage, IncidentTriageResult } from '../types.js';
import { counted, Loading, PortalLinks, Rows, SEVERITIES, TriageForm, TriageRecord, useLoad, usePages, when, withContinuation } from './shared.js';

export function Incidents(props: { readonly api: Api }) {
  const pages = usePages();
  const data = useLoad(
    async () => (await props.api.get<IncidentPage>(withContinuation('/incidents', pages.continuation))).body,
    [props.api, pages.continuation],
  );
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
          <Rows columns={5} empty="No incident.">
            {(data.value?.items ?? []).map((incident) => (
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
          </Rows>
        </table>
        <pages.Pager {...(data.value?.continuation === undefined ? {} : { next: data.value.continuation })} />
      </Loading>
    </section>
  );
}

export function IncidentView(props: { readonly api: Api; readonly id: string; readonly cloud: CloudName }) {
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
              series={[{ label: 'severity', values: value.alerts.map((alert) => 4 - SEVERITIES.indexOf(alert.severity)) }]}
              severityAxis
            />
            <ol class="timeline">
              {value.alerts.map((alert) => (
                <li>
                  <time dateTime={alert.occurredAt}>{when(alert.occurredAt)}</time> <span class={`severity-${alert.severity}`}>{alert.severity}</span>{' '}
                  <a href={`#/alerts/${encodeURIComponent(alert.id)}`}>{alert.title}</a> <span class="status">{alert.status}</span>
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
            <PortalLinks alerts={value.alerts} cloud={props.cloud} />
            <TriageRecord triage={value.incident.triage} />
            <TriageForm
              post={async (verb, body) => {
                const { alerts } = (await props.api.send<IncidentTriageResult>('POST', `/incidents/${encodeURIComponent(props.id)}/${verb}`, body)).body;
                const left = alerts.left.map((alert) => `${alert.alertId}: ${alert.reason}`).join('; ');
                return `${verb === 'ack' ? 'Acknowledged' : 'Resolved'}: ${counted(alerts.changed, 'alert')} changed, ${alerts.unchanged} already so${left === '' ? '' : `; left as they were: ${left}`}.`;
              }}
              onDone={data.reload}
            />
          </>
        )}
      </Loading>
    </section>
  );
}
