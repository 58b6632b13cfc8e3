// Unit tests of the word error rate used to judge the speech engine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { corpusWordErrorRate, wordEdits, wordErrorRate, words } from './word-error-rate.ts';

test('words: case and punctuation do not count', () => {
  assert.deepEqual(words('Please, send it -- before FRIDAY.'), ['please', 'send', 'it', 'before', 'friday']);
  assert.deepEqual(words("  don't  stop "), ["don't", 'stop']);
  assert.deepEqual(words(''), []);
});

test('WER counts substitutions, deletions and insertions over the reference length', () => {
  assert.equal(wordErrorRate('the cat sat', 'the cat sat'), 0);
  assert.equal(wordErrorRate('the cat sat', 'the dog sat'), 1 / 3);
  assert.equal(wordErrorRate('the cat sat', 'the sat'), 1 / 3);
  assert.equal(wordErrorRate('the cat sat', 'the big cat sat'), 1 / 3);
  assert.equal(wordErrorRate('the cat sat', ''), 1);
  assert.equal(wordErrorRate('a b', 'c d e f'), 2); // can exceed 1
  assert.equal(wordErrorRate('', ''), 0);
  assert.equal(wordErrorRate('', 'noise'), 1);
});

test('corpus WER weighs sentences by their length', () => {
  assert.equal(corpusWordErrorRate([
    { reference: 'one two three four', hypothesis: 'one two three four' },
    { reference: 'five', hypothesis: 'six' },
  ]), 1 / 5);
  assert.equal(corpusWordErrorRate([]), 0);
});

test('edit distance is a metric: zero only for equal lists, symmetric, at most the longer length', () => {
  const list = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 8 });
  fc.assert(fc.property(list, list, (x, y) => {
    const d = wordEdits(x, y);
    assert.equal(d, wordEdits(y, x));
    assert.equal(d === 0, x.join(' ') === y.join(' '));
    assert.ok(d <= Math.max(x.length, y.length));
    assert.ok(d >= Math.abs(x.length - y.length));
  }));
});
