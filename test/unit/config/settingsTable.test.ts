import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { SETTING_NAMES } from '../../../src/config/environmentSchema.js';
import { SETTINGS } from '../../../src/config/settings.js';
import { PROJECT_ROOT } from '../../helpers/paths.js';

/** The settings named in the README's settings table (first column, in backticks), in its "Settings" section only. */
function readmeSettings(): Map<string, string> {
  const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = /^## Settings\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
  assert.ok(section !== undefined, 'README has a "## Settings" section');
  const rows = new Map<string, string>();
  for (const match of section.matchAll(/^\| `([A-Za-z_]+)` \| ([^|]+) \|/gm)) rows.set(match[1]!, match[2]!.trim());
  return rows;
}

describe('README settings table', () => {
  it('lists every setting Lure and its host read, with its default, and nothing else', () => {
    const rows = readmeSettings();
    assert.deepEqual([...rows.keys()].sort(), SETTINGS.map((setting) => setting.name).sort());
    for (const setting of SETTINGS)
      assert.equal(rows.get(setting.name), setting.defaultValue === '—' ? '—' : `\`${setting.defaultValue.replaceAll('`', '')}\``, setting.name);
  });

  it("lists Lure's settings exactly as the environment schema parses them", () => {
    const documented = SETTINGS.filter((setting) => setting.readBy === 'lure').map((setting) => setting.name);
    assert.deepEqual([...documented].sort(), [...SETTING_NAMES].sort());
  });

  it('matches the names the environment schema and loadConfig read', () => {
    const source = ['environmentSchema.ts', 'loadConfig.ts'].map((file) => readFileSync(path.join(PROJECT_ROOT, 'src', 'config', file), 'utf8')).join('\n');
    const read = new Set([...source.matchAll(/\b((?:LURE|AZURE|WEBSITE)_[A-Za-z_]+)\b/g)].map((match) => match[1]!));
    const documented = new Set(SETTINGS.filter((setting) => setting.readBy === 'lure').map((setting) => setting.name));
    assert.deepEqual([...read].sort(), [...documented].sort());
  });

  it('matches the app settings the function registrations bind to', () => {
    const functions = readdirSync(path.join(PROJECT_ROOT, 'functions')).map((file) => path.join(PROJECT_ROOT, 'functions', file));
    const source = [path.join(PROJECT_ROOT, 'src', 'host', 'functions', 'eventHubTrigger.ts'), ...functions]
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n');
    assert.ok(source.includes('%LURE_TOKEN_CHECK_SCHEDULE%'), 'the token-check timer binds its schedule to a setting');
    const bound = new Set([...source.matchAll(/'(LURE_[A-Z_]+)'|%(LURE_[A-Z_]+)%/g)].map((match) => match[1] ?? match[2]!));
    // Bound by the host; some (the hub names) are read by Lure too.
    const documented = SETTINGS.map((setting) => setting.name.split('__')[0]!);
    for (const name of bound) assert.ok(documented.includes(name), `${name} is documented`);
  });
});
