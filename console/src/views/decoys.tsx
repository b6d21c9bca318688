import { useState } from 'preact/hooks';
import { type Api, ApiFailure } from '../api.js';
import type { DecoyChange, DecoyList, DecoyResource } from '../types.js';
import { Loading, Rows, useLoad, when } from './shared.js';

export function Decoys(props: { readonly api: Api }) {
  const data = useLoad(async () => (await props.api.get<DecoyList>('/decoys')).body.items, [props.api]);
  const [message, setMessage] = useState<string | undefined>();
  const [material, setMaterial] = useState<{ decoyId: string; text: string; advice?: string } | undefined>();
  const [copied, setCopied] = useState(false);
  const [newId, setNewId] = useState('');
  const report = (error: unknown) => {
    if (error instanceof ApiFailure && error.status === 412) data.reload();
    setMessage(
      error instanceof ApiFailure
        ? error.status === 412
          ? 'Someone changed this decoy since you loaded it: it is shown as it is now; decide again.'
          : `Refused: ${error.message}`
        : String(error),
    );
  };
  const toggle = async (item: DecoyResource, memo: string) => {
    try {
      // The change is made at the version just read (a change racing it is refused, 412), and only if that
      // version is the one on screen: an admin who acted on what they saw must not undo another's change.
      const current = await props.api.get<DecoyResource>(`/decoys/${encodeURIComponent(item.decoy.id)}`);
      if (current.body.decoy.enabled !== item.decoy.enabled || current.body.decoy.memo !== item.decoy.memo) {
        setMessage(`Someone changed ${item.decoy.id} since this page loaded it: it is shown as it is now; decide again.`);
        data.reload();
        return;
      }
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
      if (rotated.material !== undefined)
        setMaterial({ decoyId: id, text: rotated.material, ...(rotated.advice === undefined ? {} : { advice: rotated.advice }) });
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
      if (created.material !== undefined)
        setMaterial({ decoyId: newId, text: created.material, ...(created.advice === undefined ? {} : { advice: created.advice }) });
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
            <strong>Lure material for {material.decoyId}. Plant this now: you will not see it again.</strong>
          </p>
          {material.advice !== undefined && <p>{material.advice}</p>}
          <pre>{material.text}</pre>
          <button
            type="button"
            onClick={() =>
              // The clipboard needs a secure context (https or localhost); elsewhere the text is there to select.
              void (navigator.clipboard as Clipboard | undefined)?.writeText(material.text).then(
                () => setCopied(true),
                () => setCopied(false),
              )
            }
          >
            {copied ? 'Copied' : 'Copy'}
          </button>{' '}
          <button
            type="button"
            onClick={() => {
              setMaterial(undefined);
              setCopied(false);
            }}
          >
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
              <th>generations</th>
              <th>next rotation</th>
              <th>last failure</th>
              <th>memo</th>
              <th>planted in</th>
              <th>change</th>
            </tr>
          </thead>
          <Rows columns={9} empty="No decoy: create a honeytoken below, or see lure decoys.">
            {(data.value ?? []).map((item) => (
              <DecoyRow
                // Keyed by the decoy and its state: a typed memo stays with its decoy, and is cleared once used.
                key={`${item.decoy.id}|${String(item.decoy.enabled)}|${item.decoy.memo ?? ''}`}
                item={item}
                onToggle={(memo) => void toggle(item, memo)}
                onRotate={() => void rotate(item.decoy.id)}
                onRetire={() => void retire(item.decoy.id)}
              />
            ))}
          </Rows>
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
        {(lifecycle?.placements ?? []).map((placement) => (
          <div>{placement.kind === 'manual' ? placement.description : `${placement.kind === 'mailItem' ? 'mail' : 'file'} decoy ${placement.decoyId}`}</div>
        ))}
      </td>
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
