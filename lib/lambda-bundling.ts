/**
 * How every Lambda entry is bundled: one definition for the CDK stack (NodejsFunction) and for
 * `npm run build` (the local stack and the tests run that artifact).
 */
export const LAMBDA_ENTRIES = {
  api: 'lambda/entry/api.ts',
  reconciler: 'lambda/entry/reconciler.ts',
  events: 'lambda/entry/events.ts',
  inventory: 'lambda/entry/inventory.ts',
  mover: 'lambda/entry/mover.ts',
} as const;

export type LambdaEntryName = keyof typeof LAMBDA_ENTRIES;

/** The org stack's entries (lib/org): not part of an account's stack. */
export const ORG_LAMBDA_ENTRIES = {
  'org-api': 'lambda/entry/org-api.ts',
  'org-ingest': 'lambda/entry/org-ingest.ts',
} as const;

export type OrgLambdaEntryName = keyof typeof ORG_LAMBDA_ENTRIES;

export const LAMBDA_BUNDLING = {
  format: 'esm',
  target: 'node22',
  platform: 'node',
  minify: true,
  sourcemap: true,
  // ESM bundles of the AWS SDK call require() for Node built-ins
  banner: "import{createRequire}from'module';const require=createRequire(import.meta.url);",
  mainFields: ['module', 'main'],
} as const;

/** Where `npm run build` writes an entry's bundle, relative to the project root. */
export function bundlePath(entry: LambdaEntryName | OrgLambdaEntryName): string {
  return `dist/lambda/${entry}/index.mjs`;
}
