import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { pmatchMatcher } from '../../../src/falco/operators/pmatch.js';

const cases: [string[], string, boolean][] = [
  [['/etc'], '/etc/passwd', true],
  [['/etc'], '/etc', true],
  [['/etc'], '/etcfoo', false],
  [['/etc'], '/etc/', true],
  [['/var/run'], '/var/run/docker.sock', true],
  [['/var/run'], '/var/running', false],
  [['/var/run'], '//var///run/x', true], // duplicate slashes are ignored
  [['etc/passwd'], '/etc/passwd', true], // so is the leading one
  [['/etc/passwd'], '/etc', false],
  [['/usr/bin', '/etc'], '/etc/x', true],
  [['/usr/bin', '/etc'], '/tmp', false],
  [['/var/*/*.txt'], '/var/log/a.txt', true],
  [['/var/*/*.txt'], '/var/log/a.txt/more', true],
  [['/var/*/*.txt'], '/var/log/a.log', false],
  [['/var/l?g'], '/var/log/x', true],
  [['/'], '/anything', true],
  [[], '/x', false],
];

describe('pmatch', () => {
  for (const [paths, value, expected] of cases) {
    test(`${JSON.stringify(value)} pmatch (${paths.join(', ')})`, () => assert.equal(pmatchMatcher(paths)(value), expected));
  }
});
