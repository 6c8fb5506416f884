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
