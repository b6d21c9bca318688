import { randomItemOf } from './secrets.js';

/** Common given names and surnames across the English-speaking offices a decoy should blend into. */
const GIVEN_NAMES = [
  'Dana',
  'Lee',
  'Morgan',
  'Avery',
  'Jordan',
  'Casey',
  'Riley',
  'Taylor',
  'Jamie',
  'Robin',
  'Alex',
  'Sam',
  'Chris',
  'Pat',
  'Jesse',
  'Drew',
  'Shawn',
  'Kerry',
  'Leslie',
  'Terry',
];
const SURNAMES = [
  'Whitfield',
  'Okafor',
  'Brennan',
  'Castillo',
  'Lindqvist',
  'Harrington',
  'Nakamura',
  'Abernathy',
  'Delgado',
  'Fairbanks',
  'Gallagher',
  'Holloway',
  'Kowalski',
  'Mercer',
  'Pemberton',
  'Quinlan',
  'Rourke',
  'Sandoval',
  'Thornton',
  'Wexler',
];

export interface DecoyName {
  readonly givenName: string;
  readonly surname: string;
}

export function randomName(): DecoyName {
  return { givenName: randomItemOf(GIVEN_NAMES), surname: randomItemOf(SURNAMES) };
}

/** `dana.whitfield` (plus a number when that is taken). */
export function mailNicknameOf(name: DecoyName, suffix?: number): string {
  return `${name.givenName}.${name.surname}${suffix === undefined ? '' : String(suffix)}`.toLowerCase();
}

/** The name a UPN like `dana.whitfield2@…` stands for, so a resumed create names the user as the first try did. */
export function nameOfUserPrincipalName(userPrincipalName: string): DecoyName | undefined {
  const [, givenName, surname] = /^([a-z]+)\.([a-z]+)\d*@/i.exec(userPrincipalName) ?? [];
  if (givenName === undefined || surname === undefined) return undefined;
  const capitalised = (word: string) => word.charAt(0).toUpperCase() + word.slice(1).toLowerCase();
  return { givenName: capitalised(givenName), surname: capitalised(surname) };
}
