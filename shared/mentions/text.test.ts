import { describe, expect, it } from 'vitest';
import { insertMention, matchMembers, mentionedIn, mentionQueryAt, splitMentions } from './text.ts';

const people = [
  { id: 'userAna00001', name: 'Ana' },
  { id: 'userAnaL0001', name: 'Ana López' },
  { id: 'userBob00001', name: 'Bob Stone' },
  { id: 'userPri00001', name: 'Priya (PO)' },
];

describe('[MEN-3] the mention being typed', () => {
  it('starts at an @ at the start or after a space, up to the caret', () => {
    expect(mentionQueryAt('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQueryAt('hi @bo', 6)).toEqual({ start: 3, query: 'bo' });
    expect(mentionQueryAt('ask (@Pri', 9)).toEqual({ start: 5, query: 'Pri' });
    expect(mentionQueryAt('hi @Bob St', 10)).toEqual({ start: 3, query: 'Bob St' });
  });
  it('is not an e-mail address, prose after a space, or across a line break', () => {
    expect(mentionQueryAt('mail me@example', 15)).toBeNull();
    expect(mentionQueryAt('@ bob', 5)).toBeNull();
    expect(mentionQueryAt('@bob  and', 9)).toBeNull();
    expect(mentionQueryAt('@bob\nnext', 9)).toBeNull();
    expect(mentionQueryAt('no at here', 10)).toBeNull();
  });
});

describe('[MEN-3] matching members by name', () => {
  it('name prefix first, then a word of the name, any case and accents', () => {
    expect(matchMembers(people, 'an').map((p) => p.name)).toEqual(['Ana', 'Ana López']);
    expect(matchMembers(people, 'lop').map((p) => p.name)).toEqual(['Ana López']);
    expect(matchMembers(people, 'STO').map((p) => p.name)).toEqual(['Bob Stone']);
    expect(matchMembers(people, 'po').map((p) => p.name)).toEqual(['Priya (PO)']);
    expect(matchMembers(people, '')).toHaveLength(4);
    expect(matchMembers(people, 'zz')).toEqual([]);
  });
});

describe('[MEN-3] inserting the picked member', () => {
  it('replaces the typed query with @Name and a space, caret after it', () => {
    expect(insertMention('hi @bo', 3, 6, 'Bob Stone')).toEqual({ text: 'hi @Bob Stone ', caret: 14 });
    expect(insertMention('hi @bo and you', 3, 6, 'Bob Stone')).toEqual({ text: 'hi @Bob Stone and you', caret: 14 });
  });
});

describe('[MEN-1] finding mentions in stored text', () => {
  it('longest name wins and a name must end at a non-letter', () => {
    expect(splitMentions('ping @Ana López and @Ana, not @Anabel', people)).toEqual([
      { kind: 'text', text: 'ping ' },
      { kind: 'mention', text: '@Ana López', userIds: ['userAnaL0001'] },
      { kind: 'text', text: ' and ' },
      { kind: 'mention', text: '@Ana', userIds: ['userAna00001'] },
      { kind: 'text', text: ', not @Anabel' },
    ]);
  });
  it('gives the ids of the mentioned members once, in order; nothing for e-mail addresses', () => {
    expect(mentionedIn('@Bob Stone, see @Priya (PO)? @bob stone again', people)).toEqual(['userBob00001', 'userPri00001']);
    expect(mentionedIn('write to x@Bob Stone', people)).toEqual([]);
    expect(mentionedIn('', people)).toEqual([]);
  });
  it('two members with the same name are both meant', () => {
    const twins = [...people, { id: 'userAna00002', name: 'Ana' }];
    expect(mentionedIn('@Ana', twins)).toEqual(['userAna00001', 'userAna00002']);
  });
});
