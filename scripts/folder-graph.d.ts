/** Types of scripts/folder-graph.js, for the test that runs it. */
export type FolderEdges = Map<string, Map<string, string[]>>;
export function folderGraph(srcDir: string): { edges: FolderEdges; outside: string[] };
export function loops(edges: FolderEdges): string[][];
export function describeLoop(edges: FolderEdges, component: string[]): string;
