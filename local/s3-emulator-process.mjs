// The S3 emulator's own process (local/s3-emulator.ts starts it): @20minutes/s3rver, a maintained fork of
// s3rver, on a temporary directory that is removed when the process ends. Started with
// --openssl-legacy-provider: s3rver ciphers ListObjectsV2 continuation tokens with DES, which OpenSSL 3
// (Node.js 17 and later) serves only from its legacy provider; without it every truncated listing is a 500.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver');

const { port, buckets } = JSON.parse(process.argv[2] ?? '{}');
const directory = mkdtempSync(join(tmpdir(), 'redrive-s3-'));
const cleanUp = () => rmSync(directory, { recursive: true, force: true });
process.on('exit', cleanUp);

const s3rver = new S3rver({ silent: true, directory, configureBuckets: (buckets ?? []).map((name) => ({ name })) });
await s3rver.configureBuckets();
const handle = s3rver.callback();
// s3rver checks signatures against its one built-in key pair; here, as with the other emulators, any
// credentials do: who may do what is the enforcing proxy's question (local/policy/), answered from the roles
const server = createServer((request, response) => {
  delete request.headers.authorization;
  handle(request, response);
});
server.listen(port ?? 0, '127.0.0.1', () => process.send?.({ port: server.address().port }));
server.on('error', (error) => {
  process.send?.({ error: String(error) });
  process.exit(1);
});
// the parent went away (stopped, or crashed): so does the emulator, with its directory
process.on('disconnect', () => process.exit(0));
process.on('SIGTERM', () => process.exit(0));
