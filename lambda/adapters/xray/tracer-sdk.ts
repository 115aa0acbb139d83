// Powertools Tracer as a bundle of its own, `tracer-sdk.mjs` beside a Lambda's index.mjs
// (lib/lambda-bundling.ts, OWN_BUNDLES). Inside the split bundle it would share Powertools' commons and
// the invoke store with index.mjs, as two more chunks every function loads at init, tracing on or off.
// Its own copy of them is safe: the invoke store keeps its instance on globalThis.awslambda.
export { Tracer } from '@aws-lambda-powertools/tracer';
