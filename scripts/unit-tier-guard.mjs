// Preloaded into every test process of the unit tier (scripts/run-tests.mjs --unit). A unit test
// needs nothing outside Node and this repository (its node_modules included), so starting any other program, or the coffer
// command itself, is a file that lacks its `// test-needs:` line (scripts/test-tiers.mjs): it fails
// at once, naming the program, instead of slowing the tier down or failing on a machine without it.
import childProcess from 'node:child_process';
import { basename } from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { promisify } from 'node:util';

const COFFER_COMMAND = /(^|[\\/])bin[\\/]coffer$/;

function check(file, args) {
  const command = String(file);
  const first = Array.isArray(args) ? String(args.find((arg) => !String(arg).startsWith('-')) ?? '') : '';
  if (command.includes('/node_modules/')) return; // a dependency's own binary (biome, esbuild)
  const isNode = command === process.execPath || basename(command) === 'node';
  if (isNode && !COFFER_COMMAND.test(first)) return;
  const what = isNode ? 'the coffer command' : `\`${basename(command)}\``;
  throw new Error(
    `the unit tier runs no outside program, but this test started ${what}. `
      + 'Name what it needs in a `// test-needs: ...` line of the test or of the support module that starts it '
      + '(components: scripts/test-tiers.mjs); then it runs in `npm test`, after the setup.',
  );
}

const fromFile = (file, args) => check(file, args);
const fromCommand = (command) => {
  const [program = '', ...words] = String(command).trim().split(/\s+/);
  check(program, words);
};

function guard(name, checkCall) {
  const original = childProcess[name];
  const guarded = function (...callArgs) {
    checkCall(...callArgs);
    return original.apply(this, callArgs);
  };
  // execFile and exec resolve to { stdout, stderr } when promisified: keep that.
  const custom = original[promisify.custom];
  if (custom !== undefined) {
    guarded[promisify.custom] = (...callArgs) => {
      checkCall(...callArgs);
      return custom(...callArgs);
    };
  }
  childProcess[name] = guarded;
}

for (const name of ['spawn', 'spawnSync', 'execFile', 'execFileSync']) guard(name, fromFile);
for (const name of ['exec', 'execSync']) guard(name, fromCommand);
syncBuiltinESMExports();
