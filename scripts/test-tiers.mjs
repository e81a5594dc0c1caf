// Which test files need what outside Node and this repository. A file (a test or a support module
// it imports) that starts or runs an outside component says so in a line comment of its own:
//
//   // test-needs: restic, postgres
//
// A test file needs what it says plus what every file it imports (relative imports, followed
// transitively) says. Files that need nothing form the unit tier (`npm run test:unit`, under a
// minute), except a test file that is server-free but slow, which says so itself:
//
//   // test-tier: full (30 s of random schedules against the reference)
//
// `npm test` runs both tiers, after scripts/test-setup.sh has made the components ready.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Every component a `test-needs:` line may name; scripts/test-setup.sh knows how to provide each. */
export const COMPONENTS = Object.freeze({
  restic: 'the restic CLI (0.14+), the vault format oracle',
  'aws-cli': 'the AWS CLI (`aws`)',
  botocore: "python3's botocore and its service models",
  postgres: 'a PostgreSQL server on 127.0.0.1:5432 (user postgres, trust) and pg_dump/pg_restore/psql',
  mariadb: 'a MariaDB server on 127.0.0.1:3306 (root, empty password) and mariadb-dump/mariadb',
  moto: "moto's server (python3 -m moto.server) as the DynamoDB and S3 endpoint",
  coffer: 'the `coffer` command as a child process (bin/coffer: serve, vault, clock, doctor; it bundles src/ into dist/ first)',
  chromium: "Debian's Chromium, for the console's browser tests",
  terraform: 'Terraform with the AWS provider in /opt/tf-plugins (tests skip where absent)',
});

const SOURCES = `${join(dirname(fileURLToPath(import.meta.url)), '..', 'src')}/`;
const NEEDS_LINE = /^\s*\/\/\s*test-needs:\s*(.+)$/gm;
const FULL_TIER_LINE = /^\s*\/\/\s*test-tier:\s*full\b/m;
const RELATIVE_IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)'(\.{1,2}\/[^']+)'/g;

/** All `*.test.ts` files under `dir`, sorted, relative to the working directory. */
export function testFiles(dir = 'test') {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...testFiles(path));
    else if (name.endsWith('.test.ts')) out.push(relative(process.cwd(), path));
  }
  return out;
}

function declaredNeeds(path, source) {
  const needs = new Set();
  for (const match of source.matchAll(NEEDS_LINE)) {
    for (const name of match[1]
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part !== '')) {
      if (!Object.hasOwn(COMPONENTS, name)) {
        throw new Error(`${path}: test-needs names "${name}", which is not one of: ${Object.keys(COMPONENTS).join(', ')} (scripts/test-tiers.mjs)`);
      }
      needs.add(name);
    }
  }
  return needs;
}

function importedFiles(path, source) {
  const out = [];
  for (const match of source.matchAll(RELATIVE_IMPORT)) {
    const target = resolve(dirname(path), match[1]);
    // Sources are imported by their .js name (NodeNext); the file on disk is .ts.
    const candidates = target.endsWith('.js') ? [target.replace(/\.js$/, '.ts'), target] : [target, `${target}.ts`];
    const found = candidates.find((candidate) => {
      try {
        return statSync(candidate).isFile();
      } catch {
        return false;
      }
    });
    if (found !== undefined) out.push(found);
  }
  return out;
}

/**
 * Each test file's tier and what it needs, own and imported (sources under src/ are not
 * followed: they declare nothing): Map file -> { tier: 'unit' | 'full', needs: string[] }.
 */
export function classify(files) {
  const parsed = new Map();
  const parse = (path) => {
    let entry = parsed.get(path);
    if (entry === undefined) {
      const source = readFileSync(path, 'utf8');
      entry = { needs: declaredNeeds(relative(process.cwd(), path), source), imports: importedFiles(path, source).filter((file) => !file.startsWith(SOURCES)) };
      parsed.set(path, entry);
    }
    return entry;
  };
  return new Map(
    files.map((file) => {
      const needs = new Set();
      const seen = new Set();
      const stack = [resolve(file)];
      while (stack.length > 0) {
        const path = stack.pop();
        if (seen.has(path)) continue;
        seen.add(path);
        const { needs: own, imports } = parse(path);
        for (const need of own) needs.add(need);
        stack.push(...imports);
      }
      const tier = needs.size === 0 && !FULL_TIER_LINE.test(readFileSync(file, 'utf8')) ? 'unit' : 'full';
      return [file, { tier, needs: [...needs].sort() }];
    }),
  );
}
