// The consortium's library tree: top-level libraries and systems sit in the consortium, branches
// sit in a system. Nearness is the number of steps between two libraries in that tree.

export interface LibraryNode {
  id: number;
  code: string;
  parentId: number | null;
  participatesInLending: boolean;
}

export type LibraryTree = ReadonlyMap<number, LibraryNode>;

export function libraryTree(nodes: readonly LibraryNode[]): LibraryTree {
  return new Map(nodes.map((n) => [n.id, n]));
}

/** The library, then its system (if any); the consortium root is implied above them. */
function pathToRoot(tree: LibraryTree, id: number): number[] {
  const path: number[] = [];
  let current: number | null = id;
  while (current !== null && path.length < 16) {
    path.push(current);
    current = tree.get(current)?.parentId ?? null;
  }
  return path;
}

/**
 * Steps from one library to another: same library 0; two branches of one system 2; two
 * top-level libraries 2; a top-level library and a branch of a system 3.
 */
export function nearness(tree: LibraryTree, a: number, b: number): number {
  if (a === b) return 0;
  const up = pathToRoot(tree, a);
  const down = pathToRoot(tree, b);
  const common = up.find((id) => down.includes(id));
  if (common === undefined) return up.length + down.length;
  return up.indexOf(common) + down.indexOf(common);
}
