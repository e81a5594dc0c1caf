/**
 * The README's shell blocks, as the README test runs them: every ```sh (or ```bash) block, in
 * order, with the marker of the HTML comment right above it, if any:
 *
 *   <!-- readme-test: skip (why) -->        not run (an install step, a synopsis, the suite itself)
 *   <!-- readme-test: background (why) -->  a long-running service: run in the background, the
 *                                           next block runs once it printed its listening line
 *   <!-- readme-test: restart (why) -->     stop the newest background service, then as background
 *
 * A marker that is none of these is an error, so that a typo never silently skips a block.
 */
import { readFileSync } from 'node:fs';

export type BlockMode = 'run' | 'skip' | 'background' | 'restart';

export interface ShellBlock {
  /** The 1-based line of the opening fence in the README. */
  readonly line: number;
  readonly mode: BlockMode;
  readonly text: string;
}

const FENCE = /^(\s*)```(sh|bash|shell)\s*$/;
const MARKER = /^\s*<!--\s*readme-test:\s*(\w+)\b.*-->\s*$/;

export function shellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split('\n');
  const out: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (open === null) continue;
    const indent = open[1]!.length;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !/^\s*```\s*$/.test(lines[j]!); j++)
      body.push(lines[j]!.slice(Math.min(indent, lines[j]!.length - lines[j]!.trimStart().length)));
    if (j === lines.length) throw new Error(`README.md:${i + 1}: the shell block is never closed`);
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const marker = k >= 0 ? MARKER.exec(lines[k]!) : null;
    const mode = marker === null ? 'run' : marker[1]!;
    if (marker !== null && !['skip', 'background', 'restart'].includes(mode))
      throw new Error(`README.md:${k + 1}: readme-test marker "${mode}" is not skip, background or restart`);
    out.push({ line: i + 1, mode: mode as BlockMode, text: body.join('\n') });
    i = j;
  }
  return out;
}

const quote = (text: string): string => `'${text.replaceAll("'", "'\\''")}'`;

/**
 * One bash script that runs the blocks as a newcomer would in one terminal session
 * (walkthrough-prelude.sh: `set -e`, the background services' helpers), each block announced
 * with its README line, the background ones with their output in `logDir`.
 */
export function walkthroughScript(blocks: readonly ShellBlock[], logDir: string): string {
  const out = [readFileSync(new URL('./walkthrough-prelude.sh', import.meta.url), 'utf8')];
  for (const block of blocks) {
    if (block.mode === 'skip') continue;
    out.push(`echo "### README.md:${block.line} (${block.mode}) at $(date +%T)"`);
    if (block.mode === 'run') {
      out.push(block.text);
      continue;
    }
    if (block.mode === 'restart') out.push('stop_newest');
    out.push(`start_service ${quote(`${logDir}/service-${block.line}.log`)} ${quote(block.text)}`);
  }
  out.push('echo "### README walkthrough done at $(date +%T)"');
  return `${out.join('\n')}\n`;
}
