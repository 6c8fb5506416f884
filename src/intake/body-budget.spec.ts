import { BodyBudget } from './body-budget';

describe('BodyBudget', () => {
  it('tells readers past the budget to wait, and resumes them as bytes are given back', () => {
    const budget = new BodyBudget(100);
    const first = budget.open();
    const second = budget.open();
    expect(first.take(60)).toBe(true);
    expect(second.take(60)).toBe(false);
    const resumed: string[] = [];
    second.whenAvailable(() => resumed.push('second'));
    expect(resumed).toEqual([]);
    first.release();
    expect(resumed).toEqual(['second']);
    expect(budget.bytesHeld).toBe(60);
    second.release();
    second.release();
    expect(budget.bytesHeld).toBe(0);
  });

  it('lets the oldest body still being read go over the budget, so that bodies never all wait on one another', () => {
    const budget = new BodyBudget(100);
    const oldest = budget.open();
    const younger = budget.open();
    expect(younger.take(90)).toBe(true);
    expect(oldest.take(50)).toBe(true);
    expect(younger.take(10)).toBe(false);
    const resumed: string[] = [];
    younger.whenAvailable(() => resumed.push('younger'));
    // Once the oldest is read, the younger one is the oldest still reading.
    oldest.doneReading();
    expect(resumed).toEqual(['younger']);
    expect(budget.bytesHeld).toBe(150);
  });

  it('forgets a waiting reader that was released', () => {
    const budget = new BodyBudget(10);
    const first = budget.open();
    const second = budget.open();
    first.take(20);
    second.take(1);
    const resumed: string[] = [];
    second.whenAvailable(() => resumed.push('second'));
    second.release();
    first.release();
    expect(resumed).toEqual([]);
    expect(budget.bytesHeld).toBe(0);
  });
});
