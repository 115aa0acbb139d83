import { terminalSafe } from '../../../cli/dlq-commands';
import { oneLine,renderTable } from '../../../cli/render-table';
import { escapeControlCharacters, escapeForTerminal, jsonForTerminal } from '../../../cli/terminal-text';

// an OSC 52 clipboard write, an OSC 0 title, a BEL, a one-byte CSI (C1) and a right-to-left override
const HOSTILE = 'ok\u001b]52;c;ZWNobyBwd25lZA==\u0007\u001b]0;owned\u0007\u009b2J\u202Eevil\u0000';

describe('terminal text', () => {
  it('shows every control character escaped, and nothing a terminal would act on remains', () => {
    // Act
    const shown = escapeControlCharacters(HOSTILE);

    // Assess
    expect(shown).toBe('ok\\x1B]52;c;ZWNobyBwd25lZA==\\x07\\x1B]0;owned\\x07\\x9B2J\\u202Eevil\\x00');
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(shown).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('keeps the line breaks of a message, escaping the rest', () => {
    expect(escapeForTerminal('one\ntwo\r\u001b[2K')).toBe('one\ntwo\\x0D\\x1B[2K');
  });

  it('keeps JSON the same value while escaping DEL, C1 and bidi marks', () => {
    // Act
    const json = jsonForTerminal({ Reason: HOSTILE });

    // Assess
    expect(JSON.parse(json)).toEqual({ Reason: HOSTILE });
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    expect(json).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('escapes cells of a table and free text on one line, keeping the columns aligned', () => {
    // Act
    const table = renderTable(['who', 'why'], [['a\u001b[31m', oneLine('x\ny\u0007')]]);

    // Assess
    expect(table).toBe('who        why\na\\x1B[31m  x y\\x07');
  });

  it('escapes the bidi marks and isolates a Trojan Source line needs, and the C1 set, in cells, lines and JSON', () => {
    // Prepare: right-to-left and left-to-right marks, the Arabic letter mark, an isolate, a one-byte CSI
    const text = 'a\u200Fb\u200Ec\u061Cd\u2067e\u2069f\u009b';

    // Act
    const cell = escapeControlCharacters(text);
    const json = jsonForTerminal({ Reason: text });
    const body = terminalSafe(`${text}\tg\nh`);

    // Assess
    expect(cell).toBe('a\\u200Fb\\u200Ec\\u061Cd\\u2067e\\u2069f\\x9B');
    expect(json).toBe('{"Reason":"a\\u200fb\\u200ec\\u061cd\\u2067e\\u2069f\\u009b"}');
    expect(JSON.parse(json)).toEqual({ Reason: text });
    // a peeked body keeps its tabs and line breaks
    expect(body).toBe('a\\u200fb\\u200ec\\u061cd\\u2067e\\u2069f\\u009b\tg\nh');
  });
});
