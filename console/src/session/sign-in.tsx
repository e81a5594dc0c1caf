/**
 * Sign-in: an access key id and its secret (an account's key from the config or from
 * <dataDir>/credentials) and the region to work in. They stay in this tab's session storage.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { ConsoleSession } from '../api/coffer-api';
import { ErrorNotice } from '../components/notice';
import { SelectField, TextField } from '../components/fields';
import type { Session } from './session';

export function SignIn({ server, onSignIn, error }: { server: ConsoleSession | undefined; onSignIn: (session: Session) => void; error: unknown }) {
  const regions = server?.regions ?? [];
  const [accessKeyId, setAccessKeyId] = useState('');
  const [secretAccessKey, setSecret] = useState('');
  const [region, setRegion] = useState(regions[0] ?? 'us-east-1');
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    onSignIn({ accessKeyId: accessKeyId.trim(), secretAccessKey, region });
  };
  return (
    <main className="sign-in" id="main">
      <form className="card sign-in-card" onSubmit={submit} aria-labelledby="sign-in-title">
        <p className="brand">Coffer</p>
        <h1 id="sign-in-title">Sign in to the console</h1>
        <p className="page-description">
          Use an account's access key: the config's <code>accessKeys</code>, or the one Coffer wrote to <code>&lt;dataDir&gt;/credentials</code> on first start.
          The key stays in this browser tab only and is gone when you close it.
        </p>
        <ErrorNotice error={error} title="Sign-in failed" />
        <TextField label="Access key ID" value={accessKeyId} onChange={setAccessKeyId} required autoComplete="username" name="accessKeyId" mono />
        <TextField
          label="Secret access key"
          type="password"
          value={secretAccessKey}
          onChange={setSecret}
          required
          autoComplete="current-password"
          name="secretAccessKey"
        />
        {regions.length > 1 ? (
          <SelectField label="Region" value={region} onChange={setRegion} options={regions.map((r) => ({ value: r, label: r }))} />
        ) : (
          <TextField label="Region" value={region} onChange={setRegion} required />
        )}
        <button type="submit" className="button button-primary" disabled={accessKeyId.trim() === '' || secretAccessKey === ''}>
          Sign in
        </button>
      </form>
    </main>
  );
}
