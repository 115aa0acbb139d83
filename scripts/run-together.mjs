// npm test's checks at once: the type check and the linter each keep one core busy for a minute or more,
// one after the other they left the second core idle. Each script's output is printed whole when it ends,
// so the two never interleave; the exit code is the first failure's.
import { Buffer } from 'node:buffer';
import { spawn } from 'node:child_process';

const scripts = process.argv.slice(2);
const runs = scripts.map(
  (script) =>
    new Promise((resolve) => {
      const child = spawn('npm', ['run', '--silent', script], { shell: process.platform === 'win32', stdio: ['ignore', 'pipe', 'pipe'] });
      const output = [];
      child.stdout.on('data', (chunk) => output.push(chunk));
      child.stderr.on('data', (chunk) => output.push(chunk));
      child.on('close', (code) => {
        process.stdout.write(Buffer.concat(output));
        if (code !== 0) console.error(`npm run ${script} failed (exit ${code})`);
        resolve(code ?? 1);
      });
    }),
);
const codes = await Promise.all(runs);
process.exitCode = codes.find((code) => code !== 0) ?? 0;
