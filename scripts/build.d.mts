// Types of scripts/build.mjs for the TypeScript that imports it (tests, bin/coffer's loader).
export function build(): Promise<void>;
export function ensureBuilt(): Promise<string>;
/** Builds the web console into dist/console/; false when Vite is not installed. */
export function buildConsole(): Promise<boolean>;
/** Rebuilds the console when a file under console/ is newer than its build; false when Vite is not installed. */
export function ensureConsoleBuilt(): Promise<boolean>;
