/**
 * What every part of the loader shares: where relative paths start, the environment to read
 * `secretEnv` from, and the list of problems found so far.
 */
import type { IssueList } from './config-error.js';

export interface ConfigContext {
  /** Directory relative paths resolve against: the config file's, or the working directory. */
  readonly baseDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly issues: IssueList;
}
