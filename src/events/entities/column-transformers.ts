import type { ValueTransformer } from 'typeorm';

/** pg returns int8 as a string; the values stored here (epoch milliseconds, ids) are safe integers. */
export const bigintAsNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
