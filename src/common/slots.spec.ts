import { Slots } from './slots';

describe('Slots', () => {
  it('grants at once while slots are free, then in order as they are given back', () => {
    const slots = new Slots(2);
    const granted: string[] = [];
    for (const name of ['a', 'b', 'c', 'd']) slots.take(() => granted.push(name));
    expect(granted).toEqual(['a', 'b']);
    slots.give();
    expect(granted).toEqual(['a', 'b', 'c']);
    slots.give();
    slots.give();
    expect(granted).toEqual(['a', 'b', 'c', 'd']);
    slots.give();
    slots.take(() => granted.push('e'));
    slots.take(() => granted.push('f'));
    expect(granted).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
  });
});

describe('Slots, withdrawn', () => {
  it('skips a request withdrawn while it waited, and withdrawing a granted one does nothing', () => {
    const slots = new Slots(1);
    const granted: string[] = [];
    const withdrawA = slots.take(() => granted.push('a'));
    const withdrawB = slots.take(() => granted.push('b'));
    slots.take(() => granted.push('c'));
    withdrawB();
    withdrawA();
    slots.give();
    expect(granted).toEqual(['a', 'c']);
    slots.give();
    slots.take(() => granted.push('d'));
    expect(granted).toEqual(['a', 'c', 'd']);
  });
});
