import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describeLoop, folderGraph, loops } from '../scripts/folder-graph';

/** The folders of src/ depend on each other one way only, and src/ never reads test/ (it is not in the image). */
describe('the folder graph of src/', () => {
  const srcDir = join(__dirname, '..', 'src');

  it('has no loop between top-level folders', () => {
    const { edges } = folderGraph(srcDir);
    expect(loops(edges).map((component) => describeLoop(edges, component))).toEqual([]);
  });

  it('imports nothing from outside src/ and builds no path into test/', () => {
    expect(folderGraph(srcDir).outside).toEqual([]);
  });

  describe('the check itself, on a made-up tree', () => {
    let root: string;
    const write = (path: string, text: string) => {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    };

    beforeEach(() => {
      root = mkdtempSync(join(tmpdir(), 'folder-graph-'));
    });

    afterEach(() => rmSync(root, { recursive: true, force: true }));

    it('finds a loop through three folders, and names an import of each edge', () => {
      write('src/a/one.ts', `import { two } from '../b/two';\n`);
      write('src/b/two.ts', `export { three } from '../c/three';\n`);
      write('src/c/three.ts', `import type { One } from '../a/one';\n`);
      write('src/d/four.ts', `import { one } from '../a/one';\n`);
      const { edges } = folderGraph(join(root, 'src'));
      const found = loops(edges);
      expect(found).toEqual([['a', 'b', 'c']]);
      expect(describeLoop(edges, found[0])).toContain('c -> a (c/three.ts -> ../a/one)');
    });

    it('finds an import of test/ and a path built into it, but not spec files', () => {
      write('src/a/one.ts', `import { sample } from '../../test/support/samples';\n`);
      write('src/b/two.ts', `const file = join(__dirname, '..', '..', 'test', 'fixtures', 'x.json');\n`);
      write('src/b/two.spec.ts', `import { sample } from '../../test/support/samples';\n`);
      expect(folderGraph(join(root, 'src')).outside).toEqual([
        'a/one.ts imports ../../test/support/samples',
        'b/two.ts builds a path into test/',
      ]);
    });
  });
});
