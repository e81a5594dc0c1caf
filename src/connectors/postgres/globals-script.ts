/**
 * From `pg_dumpall --globals-only` output, the statements that create the roles a server lacks:
 * their CREATE ROLE, ALTER ROLE (attributes, settings) and memberships. Roles the server has are
 * left alone: a restore never changes an existing role. Tablespaces are not recreated.
 */

const NAME = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const CREATE = new RegExp(String.raw`^CREATE ROLE ${NAME};$`);
const ALTER = new RegExp(String.raw`^ALTER ROLE ${NAME} `);
const GRANT = new RegExp(String.raw`^GRANT ${NAME} TO ${NAME}(.*);$`);

function unquote(name: string): string {
  return name.startsWith('"') ? name.slice(1, -1).replace(/""/g, '"') : name.toLowerCase();
}

export function missingRoleStatements(script: string, existing: ReadonlySet<string>): { readonly sql: string; readonly created: readonly string[] } {
  const lines = script.split('\n');
  const created = new Set<string>();
  for (const line of lines) {
    const m = CREATE.exec(line);
    if (m !== null && !existing.has(unquote(m[1]!))) created.add(unquote(m[1]!));
  }
  const out: string[] = [];
  for (const line of lines) {
    const create = CREATE.exec(line) ?? ALTER.exec(line);
    if (create !== null) {
      if (created.has(unquote(create[1]!))) out.push(line);
      continue;
    }
    const grant = GRANT.exec(line);
    if (grant === null) continue;
    const [role, member] = [unquote(grant[1]!), unquote(grant[2]!)];
    const known = (r: string): boolean => existing.has(r) || created.has(r);
    if ((created.has(role) || created.has(member)) && known(role) && known(member)) {
      out.push(`GRANT ${grant[1]} TO ${grant[2]}${grant[3]!.replace(/\s+GRANTED BY\s+\S+/i, '')};`);
    }
  }
  return { sql: out.length === 0 ? '' : `${out.join('\n')}\n`, created: [...created] };
}
