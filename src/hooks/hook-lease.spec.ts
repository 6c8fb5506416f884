import { leaseMs } from './hook-dispatcher.service';

describe('the lease of a claimed delivery', () => {
  it('lasts the delivery timeout and as long again, 1 s at least beyond it', () => {
    expect(leaseMs(10_000)).toBe(20_000);
    expect(leaseMs(1_000)).toBe(2_000);
    expect(leaseMs(100)).toBe(1_100);
    expect(leaseMs(600_000)).toBe(1_200_000);
  });
});
