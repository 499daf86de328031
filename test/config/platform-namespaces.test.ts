import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { RESERVED_NAMESPACES } from '../../config/addons';

const ROOT = join(__dirname, '..', '..');
/** The folders whose code builds what lands in a cluster, and the one file there that may spell a namespace. */
const SCANNED = ['cdktf', 'manifests', 'argocd', 'config', 'pipeline', 'ops'];
const TABLE = 'config/addons.ts';

/** Names fixed elsewhere that contain a namespace: Argo CD's name for the cluster it runs in. */
const FIXED_NAMES = new Set(['https://kubernetes.default.svc']);

/** A name that says it holds a namespace: `namespace`, `KARPENTER_NAMESPACE`, `namespaces.add`, `nsSelector`, `ns`. */
function namesNamespace(name: string): boolean {
  return /namespace/i.test(name) || /^ns(?![a-z])/.test(name);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A namespace inside a longer string: a service DNS name, a kubectl flag, a container log file name. */
function embedded(namespace: string): RegExp {
  const ns = escape(namespace);
  return new RegExp(`(?:^|[^\\w-])${ns}\\.svc\\b|(?:^|\\s)(?:-n|--namespace)[ =]${ns}(?:$|\\s)|_${ns}_`);
}

function isBoundary(node: ts.Node): boolean {
  return ts.isFunctionLike(node) || ts.isSourceFile(node) || ts.isBlock(node) || ts.isClassLike(node);
}

/** The names a literal is given on the way up to its statement: keys, variables, callees, assignees. */
function contextNames(literal: ts.Node): string[] {
  const names: string[] = [];
  let child: ts.Node = literal;
  for (let node = literal.parent; !isBoundary(node); child = node, node = node.parent) {
    if (
      (ts.isPropertyAssignment(node) ||
        ts.isPropertyDeclaration(node) ||
        ts.isVariableDeclaration(node) ||
        ts.isParameter(node) ||
        ts.isBindingElement(node)) &&
      node.name !== child
    ) {
      names.push(node.name.getText());
    } else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.expression !== child) {
      names.push(node.expression.getText());
    } else if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      names.push(node.left.getText());
    }
  }
  return names;
}

/**
 * Where a source text spells a platform namespace: a string literal equal to one, given to
 * something named for a namespace, or a namespace embedded in a longer string. Other literals
 * with the same text (construct ids, release, chart and scrape-job names) are not namespaces.
 */
function namespaceSpellings(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node, namespace: string) => {
    const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
    found.push(`${file}:${line + 1}: ${namespace}`);
  };
  const visit = (node: ts.Node): void => {
    if (
      ts.isStringLiteral(node) ||
      ts.isNoSubstitutionTemplateLiteral(node) ||
      ts.isTemplateLiteralToken(node)
    ) {
      for (const namespace of RESERVED_NAMESPACES) {
        const whole = ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node);
        const exact = whole && node.text === namespace;
        if (exact && contextNames(node).some(namesNamespace)) report(node, namespace);
        else if (!FIXED_NAMES.has(node.text) && embedded(namespace).test(node.text)) report(node, namespace);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    // config/environments/ is the users' platform, which tests do not read.
    if (entry.isDirectory()) return entry.name === 'environments' ? [] : sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) ? [path] : [];
  });
}

describe('platform namespaces', () => {
  it('are spelled only in the add-ons table', () => {
    const files = SCANNED.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((path) => relative(ROOT, path))
      .filter((file) => file !== TABLE);
    expect(files.length).toBeGreaterThan(50);
    const spellings = files.flatMap((file) =>
      namespaceSpellings(file, readFileSync(join(ROOT, file), 'utf8')),
    );
    expect(spellings).toEqual([]);
  });

  it('are found where code spells them, and only there', () => {
    const text = [
      "export const KUBECOST_NAMESPACE = 'kubecost';",
      "const object = { metadata: { name: 'x', namespace: 'kube-system' } };",
      "const policy = { namespaceSelector: nsSelector('kube-system') };",
      "namespaces.add('argocd');",
      "const targets = [{ namespaces: { names: ['karpenter'] } }];",
      'const url = `http://yunikorn-service.yunikorn.svc:9080`;',
      "const forward = 'kubectl -n argocd port-forward svc/argocd-server 8080:443';",
      "new Release(this, 'karpenter', { name: 'karpenter', chart: 'karpenter', namespace: NS });",
      "const scrape = { job_name: 'yunikorn' };",
      "const scheduler = { 'spark.kubernetes.scheduler.name': 'yunikorn' };",
    ].join('\n');
    expect(namespaceSpellings('example.ts', text)).toEqual([
      'example.ts:1: kubecost',
      'example.ts:2: kube-system',
      'example.ts:3: kube-system',
      'example.ts:4: argocd',
      'example.ts:5: karpenter',
      'example.ts:6: yunikorn',
      'example.ts:7: argocd',
    ]);
  });
});
