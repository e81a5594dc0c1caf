/** Typed errors of the vault engine, each with a stable code and a message that says what to do. */

export class VaultError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'VaultError';
  }
}

export class WrongPasswordError extends VaultError {
  constructor(location: string) {
    super('WrongPassword', `no key in ${location} opens with the given password: check the password file`);
  }
}

export class NotARepositoryError extends VaultError {
  constructor(location: string) {
    super('NotARepository', `${location} is not a restic repository (no config file): create one with \`coffer vault init\``);
  }
}

export class RepositoryLockedError extends VaultError {
  constructor(detail: string) {
    super('RepositoryLocked', `repository is locked: ${detail}. If that process is gone, remove its lock with \`coffer vault unlock\``);
  }
}

export class SnapshotNotFoundError extends VaultError {
  constructor(ref: string) {
    super('SnapshotNotFound', `no snapshot matches ${JSON.stringify(ref)}: list them with \`coffer vault snapshots\``);
  }
}

/** Restore paths (`--include`, ItemsToRestore) that name nothing in the snapshot. */
export class IncludeNotFoundError extends VaultError {
  constructor(readonly paths: readonly string[]) {
    super(
      'IncludeNotFound',
      `${paths.length === 1 ? 'this path is' : 'these paths are'} not in the snapshot: ${paths.join(', ')}; list what it holds with \`restic ls <snapshot>\` and name paths from there`,
    );
  }
}
