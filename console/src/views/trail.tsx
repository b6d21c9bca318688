import type { Api } from '../api.js';
import type { AuditPage, DeadLetterPage } from '../types.js';
import { Loading, Rows, useLoad, usePages, when, withContinuation } from './shared.js';

export function Audit(props: { readonly api: Api }) {
  const pages = usePages();
  const data = useLoad(async () => (await props.api.get<AuditPage>(withContinuation('/audit', pages.continuation))).body, [props.api, pages.continuation]);
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
          <Rows columns={6} empty="Nothing was changed through the API in this period.">
            {(data.value?.items ?? []).map((entry) => (
              <tr>
                <td>{when(entry.at)}</td>
                <td>{entry.caller.userPrincipalName ?? entry.caller.appId ?? entry.caller.objectId}</td>
                <td>{entry.action}</td>
                <td>{entry.target}</td>
                <td>{entry.outcome}</td>
                <td>{entry.detail ?? ''}</td>
              </tr>
            ))}
          </Rows>
        </table>
        <pages.Pager {...(data.value?.continuation === undefined ? {} : { next: data.value.continuation })} />
      </Loading>
    </section>
  );
}

export function DeadLetters(props: { readonly api: Api }) {
  const pages = usePages();
  const data = useLoad(
    async () => (await props.api.get<DeadLetterPage>(withContinuation('/dead-letters', pages.continuation))).body,
    [props.api, pages.continuation],
  );
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
          <Rows columns={5} empty="No record was dead-lettered.">
            {(data.value?.items ?? []).map((letter) => (
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
          </Rows>
        </table>
        <pages.Pager {...(data.value?.continuation === undefined ? {} : { next: data.value.continuation })} />
      </Loading>
    </section>
  );
}
