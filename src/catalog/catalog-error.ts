/** Typed catalog errors, each with a stable code the domain maps to an AWS exception. */

export class CatalogError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** A row with the same key exists already (the domain's AlreadyExistsException). */
export class CatalogConflictError extends CatalogError {
  constructor(what: string, key: string) {
    super('Conflict', `${what} ${key} already exists`);
  }
}

/** A pagination cursor that this catalog did not hand out for this list. */
export class InvalidCursorError extends CatalogError {
  constructor() {
    super('InvalidCursor', 'the pagination token is not valid for this list; start again without it');
  }
}

/**
 * Another connection held the database's write lock past the busy timeout. Temporary: the same
 * request may succeed in a moment (the wire layer answers 503 ServiceUnavailableException).
 */
export class CatalogBusyError extends CatalogError {
  constructor() {
    super('Busy', 'the catalog database is locked by another writer; retry in a moment');
  }
}
