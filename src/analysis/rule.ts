/**
 * A rule: a stable id, a category, a default severity, and how it finds problems — visitors keyed
 * by SyntaxKind (one walk per file serves every rule), and/or a project-level check over the
 * inventory. Rules report the narrowest node; the engine (findings.ts) turns reports into
 * Findings, applies the config and the `telltale-ignore` comments, and isolates rule bugs.
 */
import type { ts } from './ts';
import type { Severity } from './model';
import type { Computed } from './analyze';
import type { Linker } from './link';
import type { Instrumentation } from './instrument';
import type { ProjectFile, Project } from './project';

export type RuleCategory = 'coverage' | 'cost' | 'privacy' | 'correctness' | 'nursery';

export interface Report {
  node: ts.Node;
  /** Report a range ending at another node (inclusive). */
  endNode?: ts.Node;
  message: string;
  data?: Record<string, unknown>;
}

export interface RuleContext<Options = Record<string, unknown>> {
  readonly file: ProjectFile;
  readonly project: Project;
  readonly linker: Linker;
  readonly instr: Instrumentation;
  readonly options: Options;
  report(node: ts.Node, message: string, data?: Record<string, unknown>): void;
  reportRange(node: ts.Node, endNode: ts.Node, message: string, data?: Record<string, unknown>): void;
}

export interface ProjectRuleContext<Options = Record<string, unknown>> {
  readonly project: Project;
  readonly analysis: Computed;
  readonly options: Options;
  report(file: ProjectFile, node: ts.Node, message: string, data?: Record<string, unknown>): void;
}

/** Node types by SyntaxKind for the kinds rules visit (extend as rules need more). */
export interface NodeOfKind {
  [ts.SyntaxKind.CallExpression]: ts.CallExpression;
  [ts.SyntaxKind.NewExpression]: ts.NewExpression;
  [ts.SyntaxKind.CatchClause]: ts.CatchClause;
  [ts.SyntaxKind.TryStatement]: ts.TryStatement;
  [ts.SyntaxKind.VariableDeclaration]: ts.VariableDeclaration;
  [ts.SyntaxKind.PropertyAccessExpression]: ts.PropertyAccessExpression;
  [ts.SyntaxKind.ObjectLiteralExpression]: ts.ObjectLiteralExpression;
  [ts.SyntaxKind.FunctionDeclaration]: ts.FunctionDeclaration;
  [ts.SyntaxKind.ArrowFunction]: ts.ArrowFunction;
  [ts.SyntaxKind.FunctionExpression]: ts.FunctionExpression;
  [ts.SyntaxKind.MethodDeclaration]: ts.MethodDeclaration;
  [ts.SyntaxKind.SourceFile]: ts.SourceFile;
  [ts.SyntaxKind.TemplateExpression]: ts.TemplateExpression;
  [ts.SyntaxKind.BinaryExpression]: ts.BinaryExpression;
}

export type Visitors<O> = { [K in keyof NodeOfKind]?: (node: NodeOfKind[K], ctx: RuleContext<O>) => void };

export interface RuleDefinition<O = Record<string, unknown>> {
  id: string;
  category: RuleCategory;
  severity: Severity;
  /** One line: what the rule finds (SARIF shortDescription, the docs table). */
  description: string;
  /** Fix ids that can resolve its findings. */
  fixes?: string[];
  /** Default options, merged under the config's `rules.<id>.options`. */
  defaultOptions?: O;
  /** Cheap pre-check: skip files that cannot contain a finding (e.g. import nothing relevant). */
  appliesTo?(file: ProjectFile): boolean;
  visit?: Visitors<O>;
  check?(ctx: ProjectRuleContext<O>): void;
}

export function defineRule<O = Record<string, unknown>>(rule: RuleDefinition<O>): RuleDefinition<O> {
  return rule;
}

export const DOCS_BASE = 'https://github.com/telltale-dev/telltale/blob/main/docs/rules';
export function docsUrl(id: string): string {
  return `${DOCS_BASE}/${id}.md`;
}

// Rules have different option types; the engine treats them uniformly.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRule = RuleDefinition<any>;
