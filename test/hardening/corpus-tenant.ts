// The account the bad-input corpus (test/fixtures/corpus/) is run against: named users the files point at, and
// filler users enough to make the engine look values up one by one (so every identifier becomes a request).
import type { EmulatorUser } from '../../lambda/emulator/emulator-types.ts';
import { emulatorUser } from './hardening-tenant.ts';

export const CORPUS_USERS: EmulatorUser[] = [
  emulatorUser(501, 'alice', 'alice@example.com'),
  emulatorUser(502, 'bob', 'bob@example.com'),
  emulatorUser(503, 'carol', 'Carol.Smith@Example.com'),
  emulatorUser(504, 'josé', 'jose@example.com'),
  emulatorUser(505, 'Zoë', 'zoe@example.com'),
  emulatorUser(506, 'twin-a', 'twin@example.com'),
  emulatorUser(507, 'twin-b', 'twin@example.com'),
  // Identifiers with URL-significant characters: each must reach the server as one encoded query value.
  emulatorUser(508, 'a b?c=d&e#f', null),
  emulatorUser(509, null, 'x+tag@example.com'),
  emulatorUser(510, 'a/b/../c', null),
  emulatorUser(511, null, 'pct%41@example.com'),
  emulatorUser(512, '%2F..%2Fadmin', null),
  emulatorUser(513, null, 'q?x=1@example.com'),
  emulatorUser(514, null, 'a&b=c#d@example.com'),
  // Identifiers a spreadsheet would run as formulas.
  emulatorUser(520, '=HYPERLINK("http://evil.example/x")', null),
  emulatorUser(521, '+cmd|calc', null),
  emulatorUser(522, '-1+1', null),
  emulatorUser(523, '@SUM(A1)', null),
  emulatorUser(524, '=1+1', null),
  emulatorUser(525, null, '=1+1@example.com'),
  ...Array.from({ length: 3000 }, (_, i) => emulatorUser(10_001 + i, `filler${i}`, `filler${i}@corp.example.net`)),
];
