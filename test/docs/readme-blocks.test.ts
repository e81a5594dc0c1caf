/**
 * The README's shell blocks as the README test sees them: the blocks it does not run (or runs in
 * the background) say so, and why, right above them; an unknown marker is an error, never a
 * silent skip.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { shellBlocks, walkthroughScript } from './readme-blocks.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

test('the README marks the blocks it does not run, each with why', () => {
  const blocks = shellBlocks(README);
  assert.ok(blocks.length >= 10, `${blocks.length} shell blocks`);
  assert.ok(blocks.some((b) => b.mode === 'skip' && b.text.startsWith('npm install')), 'npm install is the one setup step the test does itself');
  assert.ok(blocks.some((b) => b.mode === 'background' && b.text.trim().startsWith('npm start')));
  const lines = README.split('\n');
  for (const b of blocks.filter((x) => x.mode !== 'run')) {
    const comment = lines.slice(0, b.line - 1).reverse().find((l) => l.trim() !== '');
    assert.match(comment ?? '', /readme-test: \w+ \(.+\)/, `README.md:${b.line}: a marker says why`);
  }
});

test('markers, indented blocks and what the script does with each', () => {
  const md = [
    '```sh', 'echo one', '```',
    '<!-- readme-test: skip (not here) -->', '', '```sh', 'echo never', '```',
    '- a list item:', '', '  ```bash', '  echo indented', '  ```',
    '<!-- readme-test: background (a server) -->', '```sh', 'serve', '```',
    '<!-- readme-test: restart (again) -->', '```sh', 'serve again', '```',
    '```yaml', 'not: shell', '```',
  ].join('\n');
  const blocks = shellBlocks(md);
  assert.deepEqual(blocks.map((b) => [b.line, b.mode, b.text]), [
    [1, 'run', 'echo one'], [6, 'skip', 'echo never'], [11, 'run', 'echo indented'], [15, 'background', 'serve'], [19, 'restart', 'serve again'],
  ]);
  const script = walkthroughScript(blocks, '/logs');
  assert.doesNotMatch(script, /echo never/);
  assert.match(script, /\necho indented\n/);
  assert.match(script, /start_service '\/logs\/service-15\.log' 'serve'/);
  assert.match(script, /stop_newest\nstart_service '\/logs\/service-19\.log' 'serve again'/);
  assert.throws(() => shellBlocks('<!-- readme-test: skpi (typo) -->\n```sh\nls\n```\n'), /not skip, background or restart/);
  assert.throws(() => shellBlocks('```sh\nls\n'), /never closed/);
});
