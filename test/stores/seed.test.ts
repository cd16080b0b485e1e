import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { seedDocument, toTodoDocument } from '../../src/stores/todo-document';

// Stores take the committed seed as it is, without running it through the db.json schemas (a cold
// FaaS instance would pay for building them). That holds only while the seed is in this app's
// own format: loaded like any db.json, it must come out unchanged, with nothing repaired.

const committed = () => JSON.parse(readFileSync(resolve(__dirname, '../../db.json'), 'utf8'));

it('is a db.json in our own format, which loads unchanged', () => {
  expect(toTodoDocument(committed())).toEqual({ document: committed(), repairs: [] });
  expect(seedDocument()).toEqual(committed());
});

it('hands each store a copy of its own', () => {
  const first = seedDocument();
  first.todos[0].name = 'changed by one store';
  first.user.name = 'changed too';
  expect(seedDocument()).toEqual(committed());
});
