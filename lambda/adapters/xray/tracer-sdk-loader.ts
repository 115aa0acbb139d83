// `@aws-lambda-powertools/tracer` inside a Lambda bundle: lib/lambda-bundling.ts aliases the package to
// this module, which loads tracer-sdk.mjs, the Tracer bundled on its own beside index.mjs (tracer-sdk.ts
// says why). This module sits in index.mjs or, behind a dynamic import, in chunks/ one folder below.
// Never loaded from the sources: there the package is imported itself.
import type * as TracerSdk from './tracer-sdk';

const sdk = (await import(new URL(/\/chunks\/[^/]+$/.test(import.meta.url) ? '../tracer-sdk.mjs' : './tracer-sdk.mjs', import.meta.url).href)) as typeof TracerSdk;

export const { Tracer } = sdk;
