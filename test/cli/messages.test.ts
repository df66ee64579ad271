// Every text exists in Dutch and English, with the same placeholders, and the language is chosen as documented.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fill, languageOfArgv, languageOfEnv, LANGUAGES, parseMessages } from '../../src/cli/messages.js';

const ROOT = path.resolve(import.meta.dirname, '../../messages');
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

describe('message files', () => {
  const bundles = new Set(LANGUAGES.flatMap((l) => readdirSync(path.join(ROOT, l))));

  it('each bundle exists in every language', () => {
    expect(bundles.size).toBeGreaterThan(0);
    for (const bundle of bundles) for (const l of LANGUAGES) expect(readdirSync(path.join(ROOT, l)), `${l}/${bundle}`).toContain(bundle);
  });

  for (const bundle of [...bundles].sort()) {
    it(`${bundle}: the same keys and placeholders in nl and en, none empty`, () => {
      const [nl, en] = (['nl', 'en'] as const).map((l) => parseMessages(readFileSync(path.join(ROOT, l, bundle), 'utf8')));
      expect([...nl!.keys()].sort()).toEqual([...en!.keys()].sort());
      for (const [key, text] of en!) {
        expect(text, `en ${key}`).not.toBe('');
        expect(nl!.get(key), `nl ${key}`).not.toBe('');
        expect(placeholders(nl!.get(key)!), `${bundle} ${key}`).toEqual(placeholders(text));
      }
    });
  }

  it('no human text speaks of seeds', () => {
    for (const l of LANGUAGES) for (const bundle of bundles) expect(readFileSync(path.join(ROOT, l, bundle), 'utf8'), `${l}/${bundle}`).not.toMatch(/\bseeds?\b/i);
  });
});

describe('parseMessages and fill', () => {
  it('reads each heading to the next, keeps inner blank lines, and fills only known placeholders', () => {
    const m = parseMessages('# a\n\nOne {x}.\n\nTwo.\n# b.c\ntext {y}\n');
    expect(m.get('a')).toBe('One {x}.\n\nTwo.');
    expect(fill(m.get('a')!, { x: 5 })).toBe('One 5.\n\nTwo.');
    expect(fill(m.get('b.c')!, {})).toBe('text {y}');
  });
});

describe('choosing the language', () => {
  it('reads --lang in both forms', () => {
    expect(languageOfArgv(['node', 'run', 'doctor', '--lang', 'nl'])).toBe('nl');
    expect(languageOfArgv(['node', 'run', '--lang=en'])).toBe('en');
    expect(languageOfArgv(['node', 'run', 'doctor'])).toBeUndefined();
  });

  it('takes LC_ALL over LC_MESSAGES over LANG, and nothing from C or another language', () => {
    expect(languageOfEnv({ LANG: 'nl_NL.UTF-8' })).toBe('nl');
    expect(languageOfEnv({ LANG: 'nl_NL.UTF-8', LC_ALL: 'en_GB.UTF-8' })).toBe('en');
    expect(languageOfEnv({ LANG: 'en_US.UTF-8', LC_MESSAGES: 'nl_BE.UTF-8' })).toBe('nl');
    expect(languageOfEnv({ LANG: 'C.UTF-8' })).toBeUndefined();
    expect(languageOfEnv({ LANG: 'de_DE.UTF-8' })).toBeUndefined();
    expect(languageOfEnv({ LC_ALL: '', LANG: 'nl_NL' })).toBe('nl');
  });
});
