import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  arrayOf,
  booleanOf,
  absentIfEmpty,
  epochSecondsOf,
  ipAddressOf,
  isObject,
  nameValuePairs,
  numberOf,
  objectOf,
  objectsOf,
  text,
  timestampOf,
} from '../../../src/normalize/fields.js';

describe('text', () => {
  it('treats the null-ish strings real records use as absent', () => {
    for (const absent of ['', '<null>', 'null', 'Not Available', '   ', '\t\r\n', ' <null> ']) {
      assert.equal(text(absent), undefined, JSON.stringify(absent));
    }
  });

  it('treats non-string, non-number values as absent', () => {
    assert.equal(text(undefined), undefined);
    assert.equal(text(null), undefined);
    assert.equal(text(true), undefined);
    assert.equal(text({}), undefined);
    assert.equal(text(['a']), undefined);
    assert.equal(text(Number.NaN), undefined);
    assert.equal(text(Number.POSITIVE_INFINITY), undefined);
  });

  it('trims and keeps real text, case included', () => {
    assert.equal(text('  user1@contoso.com \r\n'), 'user1@contoso.com');
    assert.equal(text('NULL-ish but not null'), 'NULL-ish but not null');
    assert.equal(text('Null'), 'Null');
  });

  it('stringifies finite numbers (ids sometimes arrive as numbers)', () => {
    assert.equal(text(20893), '20893');
    assert.equal(text(0), '0');
    assert.equal(text(-1.5), '-1.5');
  });
});

describe('numberOf', () => {
  it('reads numbers and numeric strings', () => {
    assert.equal(numberOf(497815), 497815);
    assert.equal(numberOf('497815'), 497815);
    assert.equal(numberOf(' 7000113 '), 7000113);
    assert.equal(numberOf('0'), 0);
    assert.equal(numberOf('-1'), -1);
    assert.equal(numberOf('1.5'), 1.5);
  });

  it('returns undefined for anything that is not a finite number', () => {
    assert.equal(numberOf(''), undefined);
    assert.equal(numberOf('   '), undefined);
    assert.equal(numberOf('abc'), undefined);
    assert.equal(numberOf('12abc'), undefined);
    assert.equal(numberOf(Number.NaN), undefined);
    assert.equal(numberOf(Number.POSITIVE_INFINITY), undefined);
    assert.equal(numberOf('Infinity'), undefined);
    assert.equal(numberOf(null), undefined);
    assert.equal(numberOf(undefined), undefined);
    assert.equal(numberOf(true), undefined);
    assert.equal(numberOf([4]), undefined);
  });
});

describe('booleanOf', () => {
  it('reads booleans and their string forms in any case', () => {
    assert.equal(booleanOf(true), true);
    assert.equal(booleanOf(false), false);
    assert.equal(booleanOf('False'), false);
    assert.equal(booleanOf('TRUE'), true);
    assert.equal(booleanOf('true'), true);
    assert.equal(booleanOf(' false '), false);
  });

  it('returns undefined for anything else', () => {
    assert.equal(booleanOf('yes'), undefined);
    assert.equal(booleanOf('0'), undefined);
    assert.equal(booleanOf(1), undefined);
    assert.equal(booleanOf(0), undefined);
    assert.equal(booleanOf(''), undefined);
    assert.equal(booleanOf(null), undefined);
    assert.equal(booleanOf(undefined), undefined);
  });
});

describe('isObject', () => {
  it('accepts plain objects only', () => {
    assert.equal(isObject({}), true);
    assert.equal(isObject({ a: 1 }), true);
    assert.equal(isObject([]), false);
    assert.equal(isObject(null), false);
    assert.equal(isObject('{}'), false);
    assert.equal(isObject(1), false);
  });
});

describe('objectOf', () => {
  it('returns objects as they are', () => {
    const object = { APIId: '' };
    assert.equal(objectOf(object), object);
  });

  it('parses objects serialised as JSON strings', () => {
    assert.deepEqual(objectOf('{"Workload":"Exchange","RecordType":50}'), { Workload: 'Exchange', RecordType: 50 });
    assert.deepEqual(objectOf('  {"a":{"b":[1]}}'), { a: { b: [1] } });
  });

  it('returns undefined for strings that are not a JSON object, and for non-objects', () => {
    assert.equal(objectOf('{"truncated":'), undefined);
    assert.equal(objectOf('[{"a":1}]'), undefined);
    assert.equal(objectOf('plain text'), undefined);
    assert.equal(objectOf(''), undefined);
    assert.equal(objectOf([{ a: 1 }]), undefined);
    assert.equal(objectOf(null), undefined);
    assert.equal(objectOf(42), undefined);
  });
});

describe('arrayOf and objectsOf', () => {
  it('returns arrays as they are and parses arrays serialised as JSON strings', () => {
    const array = [1, 2];
    assert.equal(arrayOf(array), array);
    assert.deepEqual(arrayOf('[{"Name":"MailAccessType","Value":"Bind"}]'), [{ Name: 'MailAccessType', Value: 'Bind' }]);
    assert.deepEqual(arrayOf(' ["a","b"]'), ['a', 'b']);
  });

  it('gives an empty array for anything else', () => {
    assert.deepEqual(arrayOf('[1,'), []);
    assert.deepEqual(arrayOf('{"a":1}'), []);
    assert.deepEqual(arrayOf('a b c'), []);
    assert.deepEqual(arrayOf(undefined), []);
    assert.deepEqual(arrayOf(null), []);
    assert.deepEqual(arrayOf({ 0: 'a' }), []);
  });

  it('objectsOf keeps only the object elements', () => {
    assert.deepEqual(objectsOf([{ a: 1 }, 'x', null, [2], { b: 2 }]), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(objectsOf('[{"a":1},3]'), [{ a: 1 }]);
  });
});

describe('nameValuePairs', () => {
  it('reads Exchange [{Name, Value}] lists keyed by lower-cased name', () => {
    const pairs = nameValuePairs([{ Name: 'IsThrottled', Value: 'False' }, { Name: 'MailAccessType', Value: 'Bind' }, { Name: 'RuleName' }]);
    assert.deepEqual(
      [...pairs],
      [
        ['isthrottled', 'False'],
        ['mailaccesstype', 'Bind'],
        ['rulename', undefined],
      ],
    );
  });

  it('reads Entra [{key, value}] lists', () => {
    const pairs = nameValuePairs([
      { key: 'User-Agent', value: 'Mozilla/5.0 (Lure test)' },
      { key: 'Is CAE Token', value: 'False' },
    ]);
    assert.equal(pairs.get('user-agent'), 'Mozilla/5.0 (Lure test)');
    assert.equal(pairs.get('is cae token'), 'False');
    assert.equal(pairs.size, 2);
  });

  it('reads lists serialised as JSON strings and ignores unnamed or non-object entries', () => {
    const pairs = nameValuePairs('[{"Name":"SessionId","Value":"s-1"},{"Value":"orphan"},"junk",{"Name":"","Value":"x"}]');
    assert.deepEqual([...pairs], [['sessionid', 's-1']]);
    assert.equal(nameValuePairs(undefined).size, 0);
  });

  it('treats null-ish values as absent', () => {
    assert.equal(nameValuePairs([{ Name: 'A', Value: '<null>' }]).get('a'), undefined);
    assert.equal(nameValuePairs([{ Name: 'A', Value: '<null>' }]).has('a'), true);
  });
});

describe('timestampOf', () => {
  it('reads 7 fractional digits with Z, to millisecond precision', () => {
    assert.equal(timestampOf('2026-07-16T15:34:08.5339262Z'), '2026-07-16T15:34:08.533Z');
  });

  it('reads +00:00 offsets', () => {
    assert.equal(timestampOf('2026-07-16T15:31:34.1881867+00:00'), '2026-07-16T15:31:34.188Z');
    assert.equal(timestampOf('2019-06-24T09:18:23.58602+00:00'), '2019-06-24T09:18:23.586Z');
  });

  it('converts other offsets to UTC', () => {
    assert.equal(timestampOf('2019-10-18T04:45:48.0729893-05:00'), '2019-10-18T09:45:48.072Z');
    assert.equal(timestampOf('2024-01-01T01:30:00+02:00'), '2023-12-31T23:30:00.000Z');
    assert.equal(timestampOf('2024-01-01T01:30:00+0200'), '2023-12-31T23:30:00.000Z');
  });

  it('reads a timestamp without a zone as UTC (Management Activity API CreationTime)', () => {
    assert.equal(timestampOf('2023-09-15T18:16:53'), '2023-09-15T18:16:53.000Z');
    assert.equal(timestampOf('2023-09-15T18:16'), '2023-09-15T18:16:00.000Z');
  });

  it('pads short fractions', () => {
    assert.equal(timestampOf('2025-10-02T08:56:25.5Z'), '2025-10-02T08:56:25.500Z');
    assert.equal(timestampOf('2024-10-03T11:23:17Z'), '2024-10-03T11:23:17.000Z');
  });

  it('returns undefined for garbage and absent values', () => {
    for (const garbage of ['not a date', '2023-13-45T99:99:99Z', '18:16:53', '2023-09-15', '1739874011', '2023-09-15T18:16:53 UTC', '', '<null>']) {
      assert.equal(timestampOf(garbage), undefined, garbage);
    }
    assert.equal(timestampOf(undefined), undefined);
    assert.equal(timestampOf(null), undefined);
    assert.equal(timestampOf({}), undefined);
  });
});

describe('epochSecondsOf', () => {
  it('reads epoch seconds as a number or a string (Graph C_Iat)', () => {
    assert.equal(epochSecondsOf('1739874011'), '2025-02-18T10:20:11.000Z');
    assert.equal(epochSecondsOf(1739874011), '2025-02-18T10:20:11.000Z');
  });

  it('returns undefined for out-of-range or unreadable values', () => {
    assert.equal(epochSecondsOf(0), undefined);
    assert.equal(epochSecondsOf('-5'), undefined);
    // Milliseconds, not seconds: far beyond year 3000.
    assert.equal(epochSecondsOf(1739874011000), undefined);
    assert.equal(epochSecondsOf('abc'), undefined);
    assert.equal(epochSecondsOf(''), undefined);
    assert.equal(epochSecondsOf(undefined), undefined);
  });
});

describe('ipAddressOf', () => {
  it('strips an IPv4 port', () => {
    assert.equal(ipAddressOf('1.2.3.4:63070'), '1.2.3.4');
  });

  it('strips brackets (and a port) around IPv6', () => {
    assert.equal(ipAddressOf('[2603:1026:c09:834::5]'), '2603:1026:c09:834::5');
    assert.equal(ipAddressOf('[2603:1026:c09:834::5]:443'), '2603:1026:c09:834::5');
  });

  it('strips trailing spaces', () => {
    assert.equal(ipAddressOf('1.1.1.1 '), '1.1.1.1');
  });

  it('keeps IPv6 addresses as written', () => {
    assert.equal(ipAddressOf('2603:1026:c09:834::5'), '2603:1026:c09:834::5');
    assert.equal(ipAddressOf('fe80:0011:2233:4455:6677:8899:AABB:CCDD'), 'fe80:0011:2233:4455:6677:8899:AABB:CCDD');
    assert.equal(ipAddressOf('FE80::'), 'FE80::');
  });

  it('treats null-ish values as absent', () => {
    assert.equal(ipAddressOf('<null>'), undefined);
    assert.equal(ipAddressOf(''), undefined);
    assert.equal(ipAddressOf(null), undefined);
  });
});

describe('absentIfEmpty', () => {
  it('gives undefined when no field holds a value', () => {
    assert.equal(absentIfEmpty({ a: undefined, b: undefined }), undefined);
    assert.equal(absentIfEmpty({}), undefined);
  });

  it('gives the group itself, absent keys and all, when any field holds a value (falsy ones too)', () => {
    for (const value of ['x', 0, '', false, null]) {
      const group = { a: undefined, b: value };
      assert.equal(absentIfEmpty(group), group);
    }
  });
});

describe('timestampOf on impossible dates', () => {
  it('rejects what Date.parse would roll over, and keeps real leap days', () => {
    assert.equal(timestampOf('2023-02-30T00:00:00Z'), undefined);
    assert.equal(timestampOf('2023-02-29T00:00:00'), undefined);
    assert.equal(timestampOf('2026-13-01T00:00:00Z'), undefined);
    assert.equal(timestampOf('2026-11-02T24:00:00Z'), undefined);
    assert.equal(timestampOf('2026-11-02T08:61:00Z'), undefined);
    assert.equal(timestampOf('2024-02-29T23:59:59.9999999+00:00'), '2024-02-29T23:59:59.999Z');
  });
});

describe('timestampOf against an independent reading', () => {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');

  it('agrees with Date.UTC on every shape of date, clock, fraction and zone, real or not', () => {
    fc.assert(
      fc.property(
        fc.record({
          year: fc.integer({ min: 1970, max: 2400 }),
          month: fc.integer({ min: 0, max: 13 }),
          day: fc.integer({ min: 0, max: 32 }),
          hour: fc.integer({ min: 0, max: 25 }),
          minute: fc.integer({ min: 0, max: 61 }),
          second: fc.option(fc.integer({ min: 0, max: 61 })),
          fraction: fc.option(fc.stringMatching(/^[0-9]{1,9}$/)),
          separator: fc.constantFrom('T', 't', ' '),
          zone: fc.constantFrom('', 'Z', 'z', '+00:00', '-00:00', '+0000'),
        }),
        ({ year, month, day, hour, minute, second, fraction, separator, zone }) => {
          if (fraction !== null && second === null) return;
          const written = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}${separator}${pad(hour, 2)}:${pad(minute, 2)}${second === null ? '' : `:${pad(second, 2)}`}${fraction === null ? '' : `.${fraction}`}${zone}`;
          const millis = Number((fraction ?? '').padEnd(3, '0').slice(0, 3));
          const epochMs = Date.UTC(year, month - 1, day, hour, minute, second ?? 0, millis);
          const rolledOver = new Date(epochMs).getUTCDate() !== day || new Date(epochMs).getUTCMonth() !== month - 1;
          const real = month >= 1 && month <= 12 && day >= 1 && !rolledOver && hour <= 23 && minute <= 59 && (second ?? 0) <= 59;
          assert.equal(timestampOf(written), real ? new Date(epochMs).toISOString() : undefined, written);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives back a canonical timestamp as the same string, and refuses what trails or lacks a field', () => {
    // Century years are leap years only every 400 years.
    assert.equal(timestampOf('2000-02-29T00:00:00Z'), '2000-02-29T00:00:00.000Z');
    assert.equal(timestampOf('2100-02-29T00:00:00Z'), undefined);
    assert.equal(timestampOf('2200-02-29T00:00:00'), undefined);
    const canonical = '2026-11-02T08:15:30.123Z';
    assert.equal(timestampOf(canonical), canonical);
    for (const broken of [
      '2026-11-02T08:15:30.Z',
      '2026-11-02T08:15:30.123ZZ',
      '2026-11-02T08:15:3',
      '2026-11-02T08',
      '2026-1-02T08:15:30Z',
      '2026-11-02T08:15:30.123Z trailing',
      '2026-11-02X08:15:30Z',
      '२०२६-11-02T08:15:30Z',
    ]) {
      assert.equal(timestampOf(broken), undefined, broken);
    }
  });
});
