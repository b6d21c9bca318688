import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { TimeChart } from '../chart.js';
import type { Alert, AlertPage, IncidentPage, Status } from '../types.js';
import { Loading, SEVERITIES, useLoad, when } from './shared.js';

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
                  <th>delivered</th>
                  <th>accepted</th>
                  <th>pending</th>
                  <th>dead</th>
                  <th>last delivered</th>
                  <th>last error</th>
                </tr>
              </thead>
              <tbody>
                {value.status.channels.map((channel) => (
                  <tr class={channel.dead > 0 || channel.lastError !== undefined ? 'bad' : ''}>
                    <td>
                      {channel.channel}
                      {channel.configured ? '' : ' (not configured)'}
                    </td>
                    <td>{channel.delivered}</td>
                    <td>{channel.accepted}</td>
                    <td>{channel.pending}</td>
                    <td>{channel.dead}</td>
                    <td>{channel.lastCompletedAt === undefined ? '' : when(channel.lastCompletedAt)}</td>
                    <td>{channel.lastError ?? ''}</td>
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
