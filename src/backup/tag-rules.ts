/**
 * What AWS accepts as tags on Backup resources: keys of 1 to 128 characters that do not start
 * with `aws:` (reserved for AWS), values of up to 256 characters, at most 50 tags per resource.
 */
import { BackupError } from './backup-error.js';

export const MAX_TAGS_PER_RESOURCE = 50;
const MAX_KEY_CHARS = 128;
const MAX_VALUE_CHARS = 256;

export type Tags = Readonly<Record<string, string>>;

export function checkTags(tags: Tags, member: string): void {
  for (const [key, value] of Object.entries(tags)) {
    const chars = [...key].length;
    if (chars < 1 || chars > MAX_KEY_CHARS)
      throw invalidTag(member, `tag key ${JSON.stringify(key)} has ${chars} characters; keys have 1 to ${MAX_KEY_CHARS}.`);
    if (key.toLowerCase().startsWith('aws:'))
      throw invalidTag(member, `tag key ${JSON.stringify(key)} starts with "aws:", which is reserved for AWS; choose another key.`);
    if ([...value].length > MAX_VALUE_CHARS) throw invalidTag(member, `the value of tag ${JSON.stringify(key)} is longer than ${MAX_VALUE_CHARS} characters.`);
  }
  checkTagCount(Object.keys(tags).length, member);
}

export function checkTagCount(count: number, member: string): void {
  if (count <= MAX_TAGS_PER_RESOURCE) return;
  throw new BackupError('TooManyTags', `${member}: a resource can have at most ${MAX_TAGS_PER_RESOURCE} tags, this would make ${count}; remove some first.`, {
    context: member,
  });
}

function invalidTag(member: string, why: string): BackupError {
  return new BackupError('InvalidTag', `${member}: ${why}`, { context: member });
}
