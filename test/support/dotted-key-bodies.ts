/**
 * Message bodies that make spelling dotted keys as nesting expensive (`dotted-keys.ts`), shared by
 * the unit tests and `bench/matcher-worst-case.ts`. Each starts with `"tenant":"acme"`.
 */

/** `{"x":[0 × elements], "x.a0":0, …, "x.a<keys-1>":0}`: every dotted key descends into the key that holds the wide array. */
export function dottedKeysBesideWideArray(elements: number, keys: number): string {
  const parts = ['"tenant":"acme"', `"x":[${Array<string>(elements).fill('0').join(',')}]`];
  for (let at = 0; at < keys; at += 1) parts.push(`"x.a${at}":0`);
  return `{${parts.join(',')}}`;
}

/**
 * One path spelled two ways at each of `levels` levels, around an object of `width` keys: each level's
 * merge walks the wide object again, so the work is levels × width for a body of about width × 9 bytes.
 */
export function onePathSpelledManyWays(levels: number, width: number): string {
  let body = `{${Array.from({ length: width }, (_, at) => `"b${at}":0`).join(',')}}`;
  for (let level = 1; level <= levels; level += 1) {
    // the dotted spelling comes first and reaches down to where the wide object sits, so the nested one merges into it
    const mirror = level === 1 ? '{}' : `{"${Array<string>(2 * (level - 1)).fill('k').join('.')}":{}}`;
    body = `{"k.k":${mirror},"k":{"k":${body}}}`;
  }
  return `{"tenant":"acme",${body.slice(1)}`;
}
