import type { Api } from '../api.js';
import type { AuditPage, DeadLetterPage } from '../types.js';
import { Loading, useLoad, when } from './shared.js';

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
