/**
 * `describe` when a service the tests need answers; otherwise, on a developer's machine,
 * `describe.skip` with a loud warning, and in CI (CI set, as .ci/run does) a failure: a test
 * that cannot run there is a failure, never a silent skip.
 */
export function describeWhenAvailable(available: boolean, missing: string): jest.Describe {
  if (available) return describe;
  if (process.env.CI) throw new Error(`${missing} (CI is set: the tests that need it must run)`);
  console.warn(`SKIPPED: ${missing}`);
  return describe.skip;
}
