import { AppIds, type AppId } from './names';
import { Operations } from './api';
import { accessControlOf, callersOf, type AccessControl } from './operation';

/**
 * The generated policies, judged the way Dapr 1.18 judges them: a port of
 * pkg/config/acl_trie.go (rules are inserted in order; a search walks the
 * path segment by segment and answers with the first node that has verbs)
 * and of pkg/acl's verb check. A sidecar must allow a caller exactly the
 * operations that name it.
 */
interface Node {
  char: string;
  verbs?: Set<string>;
  subs: Node[];
}

function globMatch(target: string, pattern: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(target);
}

function findWithWildcard(char: string, nodes: Node[], isEnd: boolean): Node | undefined {
  for (const node of nodes) {
    if (node.char === char) return node;
    if (node.char === '/*') {
      if (isEnd) return node;
      continue;
    }
    if (node.char === '/**') return node;
    if (globMatch(char, node.char)) return node;
  }
  return undefined;
}

function trieOf(operations: { name: string; httpVerb: string[] }[]): Node {
  const root: Node = { char: '/', subs: [] };
  for (const op of operations) {
    const parts = op.name.split('/');
    let node = root;
    parts.forEach((part, i) => {
      if (i === 0) return;
      const char = `/${part}`;
      const found = node.subs.find((n) => n.char === char);
      const isLast = i === parts.length - 1;
      if (!found) {
        const created: Node = { char, subs: [], ...(isLast ? { verbs: new Set(op.httpVerb) } : {}) };
        node.subs.push(created);
        node = created;
      } else if (isLast) {
        found.verbs ??= new Set(op.httpVerb);
      } else node = found;
    });
  }
  return root;
}

function search(root: Node, operation: string): Set<string> | undefined {
  const parts = operation.split('/');
  let node: Node | undefined = root;
  for (let i = 1; i < parts.length; i++) {
    const isEnd = i === parts.length - 1;
    node = findWithWildcard(`/${parts[i]}`, node.subs, isEnd);
    if (!node) return undefined;
    if (node.verbs) {
      if (!isEnd && node.char.endsWith('/*') && !node.char.endsWith('/**')) continue;
      return node.verbs;
    }
    if (isEnd) {
      const wild = findWithWildcard('/*', node.subs, isEnd);
      return wild?.verbs;
    }
  }
  return undefined;
}

function allowed(acl: AccessControl, caller: AppId, method: string, path: string): boolean {
  const policy = acl.policies.find((p) => p.appId === caller);
  if (!policy) return false;
  const verbs = search(trieOf(policy.operations), path.toLowerCase());
  return verbs?.has(method.toUpperCase()) ?? false;
}

const concrete = (path: string) => path.replace(/:[A-Za-z0-9_]+/g, '3f2a6c1e-0d4b-4c8e-9a7f-1b2c3d4e5f60');

describe('access-control policies from the registry', () => {
  const apps = Object.values(AppIds);
  it('when any app calls any operation, then its sidecar allows exactly the callers the registry names', () => {
    const wrong: string[] = [];
    for (const callee of apps) {
      const acl = accessControlOf(callee, Operations, { namespace: 'default' });
      for (const op of Operations.filter((o) => o.appId === callee)) {
        for (const caller of apps) {
          const want = callersOf(op).includes(caller);
          if (allowed(acl, caller, op.method, concrete(op.path)) !== want) wrong.push(`${caller} -> ${callee} ${op.method} ${op.path}: ${want ? 'refused' : 'allowed'}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });

  it('when web calls an internal operation, or anyone calls a path nobody serves, then the answer is no', () => {
    const inventory = accessControlOf('inventory', Operations, { namespace: 'default' });
    expect(allowed(inventory, 'web', 'post', '/internal/reservations')).toBe(false);
    expect(allowed(inventory, 'order', 'post', '/internal/reservations')).toBe(true);
    expect(allowed(inventory, 'marketing', 'post', '/internal/reservations')).toBe(false);
    expect(allowed(inventory, 'order', 'delete', '/internal/reservations/x')).toBe(false);
    expect(inventory.defaultAction).toBe('deny');
  });
});
