/**
 * Assigning resources to a plan (CreateBackupSelection): by ARN, by resource type with
 * exclusions, by tags (any of) and conditions (all of); beside it, the resources it matches now
 * (POST /_coffer/selections/match, the scheduler's own matching).
 */
import { useEffect, useState } from 'react';
import { CreateBackupSelectionCommand } from '@aws-sdk/client-backup';
import type { BackupSelection, ConditionParameter } from '@aws-sdk/client-backup';
import type { Resource } from '../../api/coffer-api';
import { useConsole } from '../../console-context';
import { CheckboxField, RadioGroup, SelectField, TextField } from '../../components/fields';
import { ErrorNotice, Loading, Notice } from '../../components/notice';
import { PageHeader, Section } from '../../components/page-header';
import { defaultRoleArn } from '../../iam-roles';
import { href, navigate } from '../../router';
import { useAction, useLoad } from '../../use-load';

type Mode = 'arns' | 'types' | 'tags';
type Operator = 'StringEquals' | 'StringNotEquals' | 'StringLike' | 'StringNotLike';
interface ConditionRow {
  operator: Operator;
  key: string;
  value: string;
}

/** The ARN pattern that names every resource of a type in this account and region. */
export function typePattern(type: string, region: string, accountId: string): string {
  switch (type) {
    case 'EFS':
      return `arn:aws:elasticfilesystem:${region}:${accountId}:file-system/*`;
    case 'RDS':
      return `arn:aws:rds:${region}:${accountId}:db:*`;
    case 'DynamoDB':
      return `arn:aws:dynamodb:${region}:${accountId}:table/*`;
    case 'S3':
      return 'arn:aws:s3:::*';
    default:
      return '*';
  }
}

function TagList({ tags }: { tags: Readonly<Record<string, string>> }) {
  const entries = Object.entries(tags);
  return entries.length === 0 ? null : <span className="small hint"> {entries.map(([k, v]) => `${k}=${v}`).join(', ')}</span>;
}

export function AssignmentEditor({ planId }: { planId: string }) {
  const { clients, session, whoami } = useConsole();
  const resources = useLoad(() => clients.coffer.resources(), [session.region]);
  const [name, setName] = useState('');
  const [role, setRole] = useState(defaultRoleArn(whoami.accountId));
  const [mode, setMode] = useState<Mode>('arns');
  const [arns, setArns] = useState<string[]>([]);
  const [types, setTypes] = useState<string[]>([]);
  const [excluded, setExcluded] = useState<string[]>([]);
  const [tags, setTags] = useState<{ key: string; value: string }[]>([{ key: '', value: '' }]);
  const [conditions, setConditions] = useState<ConditionRow[]>([]);

  const selection: BackupSelection = buildSelection();
  function buildSelection(): BackupSelection {
    const cond: Partial<Record<Operator, ConditionParameter[]>> = {};
    for (const c of conditions.filter((x) => x.key.trim() !== ''))
      (cond[c.operator] ??= []).push({ ConditionKey: `aws:ResourceTag/${c.key.trim()}`, ConditionValue: c.value });
    const listOfTags = tags
      .filter((t) => t.key.trim() !== '')
      .map((t) => ({ ConditionType: 'STRINGEQUALS' as const, ConditionKey: t.key.trim(), ConditionValue: t.value }));
    return {
      SelectionName: name,
      IamRoleArn: role,
      ...(mode === 'arns' && arns.length > 0 ? { Resources: arns } : {}),
      ...(mode === 'types' && types.length > 0 ? { Resources: types.map((t) => typePattern(t, session.region, whoami.accountId)) } : {}),
      ...(mode === 'types' && excluded.length > 0 ? { NotResources: excluded } : {}),
      ...(mode === 'tags' && listOfTags.length > 0 ? { ListOfTags: listOfTags } : {}),
      ...(Object.keys(cond).length > 0 ? { Conditions: cond } : {}),
    };
  }
  const key = JSON.stringify(selection);
  const [matches, setMatches] = useState<{ resources?: Resource[]; error?: string }>({});
  const choosesSomething = selection.Resources !== undefined || selection.ListOfTags !== undefined || selection.Conditions !== undefined;
  useEffect(() => {
    if (!choosesSomething) {
      setMatches({ resources: [] });
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      clients.coffer.matchSelection(selection).then(
        (m) => live && setMatches({ resources: m.resources }),
        (err: unknown) => live && setMatches({ error: err instanceof Error ? err.message : String(err) }),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [clients, key]);
  const save = useAction(async () => {
    await clients.backup.send(new CreateBackupSelectionCommand({ BackupPlanId: planId, BackupSelection: selection as never }));
    navigate(`${href('plans', planId)}`);
  });

  if (resources.data === undefined) return resources.error !== undefined ? <ErrorNotice error={resources.error} /> : <Loading what="resources" />;
  const all = resources.data.resources;
  const allTypes = [...new Set(all.map((r) => r.type))].sort();
  const optedOut = Object.entries(resources.data.optIn)
    .filter(([, on]) => !on)
    .map(([t]) => t);
  const toggle = (list: string[], set: (l: string[]) => void, value: string, on: boolean): void => set(on ? [...list, value] : list.filter((x) => x !== value));
  return (
    <>
      <PageHeader
        title="Assign resources"
        back={{ href: href('plans', planId), label: 'The plan' }}
        description="Which resources this plan backs up. An assignment cannot be changed later: remove it and add a new one."
      />
      <form
        className="assign-layout"
        onSubmit={(e) => {
          e.preventDefault();
          void save.run();
        }}
      >
        <div className="stack">
          <div className="card form">
            <TextField label="Assignment name" value={name} onChange={setName} required hint="1 to 50 letters, digits, -, _ or ." />
            <TextField label="IAM role" value={role} onChange={setRole} mono hint="The role the plan's jobs run as." />
          </div>
          <div className="card form">
            <RadioGroup
              legend="Choose resources"
              value={mode}
              onChange={setMode}
              options={[
                { value: 'arns', label: 'By resource ARN', hint: 'exactly these' },
                { value: 'types', label: 'By resource type', hint: 'every resource of the types, with exclusions' },
                { value: 'tags', label: 'By tags', hint: 'resources carrying any of the tags' },
              ]}
            />
            {mode === 'arns' && (
              <fieldset className="resource-picker">
                <legend>Resources</legend>
                {all.length === 0 && (
                  <p className="hint">
                    No resources are configured in this account and region: add them under <code>resources</code> in Coffer's config.
                  </p>
                )}
                {all.map((r) => (
                  <CheckboxField
                    key={r.arn}
                    label={
                      <>
                        <span className="mono">{r.arn}</span> <span className="badge badge-neutral">{r.type}</span>
                        <TagList tags={r.tags} />
                      </>
                    }
                    checked={arns.includes(r.arn)}
                    onChange={(on) => toggle(arns, setArns, r.arn, on)}
                  />
                ))}
              </fieldset>
            )}
            {mode === 'types' && (
              <>
                <fieldset>
                  <legend>Resource types</legend>
                  {allTypes.map((t) => (
                    <CheckboxField
                      key={t}
                      label={`${t} (${all.filter((r) => r.type === t).length})`}
                      checked={types.includes(t)}
                      onChange={(on) => toggle(types, setTypes, t, on)}
                      hint={<span className="mono">{typePattern(t, session.region, whoami.accountId)}</span>}
                    />
                  ))}
                </fieldset>
                {types.length > 0 && (
                  <fieldset className="resource-picker">
                    <legend>Except</legend>
                    {all
                      .filter((r) => types.includes(r.type))
                      .map((r) => (
                        <CheckboxField
                          key={r.arn}
                          label={<span className="mono">{r.arn}</span>}
                          checked={excluded.includes(r.arn)}
                          onChange={(on) => toggle(excluded, setExcluded, r.arn, on)}
                        />
                      ))}
                  </fieldset>
                )}
              </>
            )}
            {mode === 'tags' && (
              <fieldset className="tag-editor">
                <legend>Tagged with any of</legend>
                {tags.map((t, i) => (
                  <div className="tag-row" key={i}>
                    <TextField label={`Tag key ${i + 1}`} value={t.key} onChange={(v) => setTags(tags.map((x, j) => (j === i ? { ...x, key: v } : x)))} />
                    <TextField label={`Value ${i + 1}`} value={t.value} onChange={(v) => setTags(tags.map((x, j) => (j === i ? { ...x, value: v } : x)))} />
                  </div>
                ))}
                <button type="button" className="button button-small" onClick={() => setTags([...tags, { key: '', value: '' }])}>
                  Add tag
                </button>
              </fieldset>
            )}
            <fieldset className="conditions">
              <legend>Only if (all of these hold)</legend>
              {conditions.map((c, i) => (
                <div className="condition-row" key={i}>
                  <TextField
                    label={`Tag key ${i + 1}`}
                    value={c.key}
                    onChange={(v) => setConditions(conditions.map((x, j) => (j === i ? { ...x, key: v } : x)))}
                  />
                  <SelectField
                    label="Test"
                    value={c.operator}
                    onChange={(v) => setConditions(conditions.map((x, j) => (j === i ? { ...x, operator: v } : x)))}
                    options={[
                      { value: 'StringEquals', label: 'equals' },
                      { value: 'StringNotEquals', label: 'does not equal' },
                      { value: 'StringLike', label: 'matches (* ?)' },
                      { value: 'StringNotLike', label: 'does not match' },
                    ]}
                  />
                  <TextField label="Value" value={c.value} onChange={(v) => setConditions(conditions.map((x, j) => (j === i ? { ...x, value: v } : x)))} />
                  <button
                    type="button"
                    className="button button-quiet button-small"
                    onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
                    aria-label={`Remove condition ${i + 1}`}
                  >
                    Remove
                  </button>
                </div>
              ))}
              <button
                type="button"
                className="button button-small"
                onClick={() => setConditions([...conditions, { operator: 'StringEquals', key: '', value: '' }])}
              >
                Add condition
              </button>
            </fieldset>
          </div>
          <ErrorNotice error={save.error} title="The assignment was not saved" />
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={save.busy || name === '' || !choosesSomething || matches.error !== undefined}>
              Assign resources
            </button>
            <a className="button" href={href('plans', planId)}>
              Cancel
            </a>
          </div>
        </div>
        <aside className="card matches" aria-labelledby="matches-title">
          <Section title="Matches now" id="matches">
            <div aria-live="polite">
              {matches.error !== undefined ? (
                <p className="field-error">{matches.error}</p>
              ) : matches.resources === undefined ? (
                <Loading what="matches" />
              ) : (
                <>
                  <p>
                    <strong data-testid="match-count">{matches.resources.length}</strong> of {all.length} resources
                  </p>
                  {!choosesSomething && <p className="hint">Choose resources, types or tags to see what this assignment picks.</p>}
                  <ul className="plain mono small">
                    {matches.resources.map((r) => (
                      <li key={r.arn}>{r.arn}</li>
                    ))}
                  </ul>
                </>
              )}
              {optedOut.length > 0 && (
                <Notice kind="info">
                  Opted out in this region (Settings): {optedOut.join(', ')}. Resources of those types are picked only when named by ARN.
                </Notice>
              )}
            </div>
          </Section>
        </aside>
      </form>
    </>
  );
}
