import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../..');
/** What a newcomer reads: the README and docs/. */
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const anchorOf = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}_\- ]/gu, '').replace(/ /g, '-');
const anchorsOf = (path: string) => new Set(read(path).split('\n').filter((line) => line.startsWith('#')).map((line) => anchorOf(line.replace(/^#+/, ''))));

describe("the docs' links", () => {
  it('send nobody to the API contract outside the repository (API.md): they link its docs/ pages', () => {
    // Act
    const mentions = DOCS.flatMap((path) => read(path).split('\n').flatMap((line, at) => (line.includes('API.md') ? [`${path}:${at + 1}`] : [])));

    // Assess
    expect(mentions).toEqual([]);
  });

  it('lead to files of the repository, and to headings those files have', () => {
    // Act
    const broken = DOCS.flatMap((path) =>
      [...read(path).matchAll(/\]\(([^)\s]+)\)/g)].flatMap(([, target]) => {
        if (/^[a-z]+:/.test(target!)) return [];
        const [file, anchor] = target!.split('#');
        const linked = file ? join(dirname(path), file) : path;
        if (!existsSync(join(ROOT, linked))) return [`${path}: ${target}`];
        return anchor && linked.endsWith('.md') && !anchorsOf(linked).has(anchor) ? [`${path}: ${target}`] : [];
      }),
    );

    // Assess
    expect(broken).toEqual([]);
  });
});
