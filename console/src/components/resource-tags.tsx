/** The tags of a vault, plan or recovery point (ListTags), edited in place (TagResource/UntagResource). */
import { useEffect, useState } from 'react';
import { ListTagsCommand, TagResourceCommand, UntagResourceCommand } from '@aws-sdk/client-backup';
import { useConsole } from '../console-context';
import { ErrorNotice, Loading, Notice } from './notice';
import { TagEditor, rowsFromTags, tagsFromRows } from './tag-editor';
import type { TagRow } from './tag-editor';
import { useAction, useLoad } from '../use-load';

export function ResourceTags({ arn, what }: { arn: string; what: string }) {
  const { clients } = useConsole();
  const tags = useLoad(async () => (await clients.backup.send(new ListTagsCommand({ ResourceArn: arn }))).Tags ?? {}, [arn]);
  const [rows, setRows] = useState<TagRow[]>([]);
  const [saved, setSaved] = useState(false);
  useEffect(() => setRows(rowsFromTags(tags.data)), [tags.data]);
  const save = useAction(async () => {
    const want = tagsFromRows(rows);
    const gone = Object.keys(tags.data ?? {}).filter((k) => !(k in want));
    if (gone.length > 0) await clients.backup.send(new UntagResourceCommand({ ResourceArn: arn, TagKeyList: gone }));
    if (Object.keys(want).length > 0) await clients.backup.send(new TagResourceCommand({ ResourceArn: arn, Tags: want }));
    setSaved(true);
    tags.reload();
  });
  if (tags.data === undefined) return tags.error !== undefined ? <ErrorNotice error={tags.error} /> : <Loading what="tags" />;
  return (
    <div className="stack">
      <TagEditor
        label={`Tags of this ${what}`}
        rows={rows}
        onChange={(r) => {
          setSaved(false);
          setRows(r);
        }}
      />
      <ErrorNotice error={save.error} title="Tags were not saved" />
      {saved && <Notice kind="success" title="Tags saved." />}
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={() => void save.run()} disabled={save.busy}>
          Save tags
        </button>
      </div>
    </div>
  );
}
