import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { TimeChart } from '../chart.js';
import type { Alert, AlertPage, Incident, Status } from '../types.js';
import { allPages, Loading, Rows, SEVERITIES, useLoad, when } from './shared.js';

export function Overview(props: { readonly api: Api }) {
  const [days, setDays] = useState(1);
  const data = useLoad(async () => {
    // Counts over every page: a busy week must not be cut at the first.
    const weekBefore = (time: number) => encodeURIComponent(new Date(time - 7 * 86_400_000).toISOString());
    const [status, incidents, recent] = await Promise.all([
      props.api.get<Status>('/status'),
      allPages<Incident>(props.api, '/incidents?status=open&top=500'),
      allPages<Alert>(props.api, `/alerts?top=500&from=${weekBefore(Date.now())}`),
    ]);
    // A quiet week: the chart shows the week up to the newest alert instead (the demo's are from November).
    const newest = recent.items.length > 0 ? undefined : (await props.api.get<AlertPage>('/alerts?top=1')).body.items[0];
    const alerts = newest === undefined ? recent : await allPages<Alert>(props.api, `/alerts?top=500&from=${weekBefore(Date.parse(newest.occurredAt))}`);
    return { status: status.body, incidents: incidents.items, alerts: alerts.items, capped: incidents.capped || alerts.capped };
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
            {value.capped && <p>More than 10,000 incidents or alerts: the counts above stop there.</p>}
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
              <Rows columns={5} empty="No stream has delivered or is expected.">
                {value.status.sources.map((source) => (
                  <tr class={source.silent || (source.expected && !source.delivered) ? 'bad' : ''}>
                    <td>{source.stream}</td>
                    <td>{source.expected ? 'yes' : 'no'}</td>
                    <td>{source.lastArrivalAt === undefined ? 'never' : when(source.lastArrivalAt)}</td>
                    <td>{source.lagInSeconds === undefined ? '' : `${Math.round(source.lagInSeconds / 60)} min`}</td>
                    <td>{source.silent ? 'silent' : source.delivered ? 'flowing' : (source.likelyCause ?? 'waiting for its first record')}</td>
                  </tr>
                ))}
              </Rows>
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
              <Rows columns={3} empty="No record arrived in the last hour.">
                {value.status.lastHour.map((origin) => (
                  <tr class={origin.deadLettered > 0 ? 'bad' : ''}>
                    <td>{origin.origin}</td>
                    <td>{origin.records}</td>
                    <td>{origin.deadLettered}</td>
                  </tr>
                ))}
              </Rows>
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
                  <th>in digests</th>
                  <th>last delivered</th>
                  <th>last error</th>
                </tr>
              </thead>
              <Rows columns={8} empty="No channel.">
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
                    <td>{channel.digested}</td>
                    <td>{channel.lastCompletedAt === undefined ? '' : when(channel.lastCompletedAt)}</td>
                    <td>{channel.lastError ?? ''}</td>
                  </tr>
                ))}
              </Rows>
            </table>
            {value.status.auditSubscriptions.some((subscription) => subscription.disabled !== undefined) && (
              <>
                <h2>Audit subscriptions</h2>
                <ul>
                  {value.status.auditSubscriptions.flatMap(({ contentType, disabled }) =>
                    disabled === undefined
                      ? []
                      : [
                          <li class="bad">
                            {contentType}: disabled by an admin since {when(disabled.since)} ({disabled.detail})
                          </li>,
                        ],
                  )}
                </ul>
              </>
            )}
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
