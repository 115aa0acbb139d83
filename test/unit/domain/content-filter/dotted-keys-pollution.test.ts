import { matchesEventPattern, parseEventPattern } from '../../../../lambda/domain/content-filter/event-pattern';
import { matchesFilterPolicy, messageBodySubject, parseFilterPolicy } from '../../../../lambda/domain/content-filter/filter-policy';

/**
 * Deeper than the expansion's depth limit the subject's own objects are kept as they are; a dotted key
 * there used to be written into them, and `"a.__proto__.polluted"` beside an `"a"` array of objects
 * reached Object.prototype through the inherited `__proto__` (a message body could change every object
 * of the mover's process). Each core is tried at every depth around the limit.
 */
const CORES = [
  '{"a":[{"x":1}],"a.__proto__.polluted":"yes"}',
  '{"a":{"x":1},"a.__proto__.polluted":"yes"}',
  '{"a":{"x":{"y":1}},"a.x.__proto__.polluted":"yes"}',
  '{"a":{"x":1},"a.x.y":2,"a.constructor.prototype.polluted":"yes"}',
];
const nested = (core: string, depth: number) => '{"n":'.repeat(depth) + core + '}'.repeat(depth);
const polluted = () => (Object.prototype as Record<string, unknown>).polluted;

afterEach(() => {
  delete (Object.prototype as Record<string, unknown>).polluted;
});

describe('dotted keys deeper than the expansion reaches', () => {
  const depths = Array.from({ length: 16 }, (_, at) => 55 + at);

  it.each(CORES)('in a body never reach Object.prototype, nor change the body: %s', (core) => {
    const policy = parseFilterPolicy({ tenant: ['acme'] }, 'MessageBody');
    for (const depth of depths) {
      const text = `{"tenant":"acme","z":${nested(core, depth)}}`;
      const subject = messageBodySubject(text);
      expect(matchesFilterPolicy(policy, subject)).toBe(true);
      expect(matchesEventPattern(parseEventPattern({ tenant: ['acme'] }), subject)).toBe(true);
      expect(polluted()).toBeUndefined();
      expect(JSON.stringify(subject)).toBe(JSON.stringify(JSON.parse(text)));
    }
  });

  it.each(CORES)('in a policy or pattern never reach Object.prototype: %s', (core) => {
    for (const depth of Array.from({ length: 70 }, (_, at) => at)) {
      const pattern = JSON.parse(`{"tenant":["acme"],"z":${nested(core, depth)}}`) as unknown;
      for (const parse of [() => parseFilterPolicy(pattern, 'MessageBody'), () => parseEventPattern(pattern)]) {
        try {
          parse();
        } catch {
          // refused (too deep, or no rule list at a leaf): what counts is that nothing leaked
        }
        expect(polluted()).toBeUndefined();
      }
    }
  });
});
