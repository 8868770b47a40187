/**
 * Finds … (what the rule reports, concretely).
 * Why: … (what goes wrong in production when this is ignored).
 * @invalid
 * ```ts
 * // code that is reported; mark the finding's range under its line:
 * //^^^^ message
 * ```
 * @valid
 * ```ts
 * // a look-alike that must not be reported
 * ```
 */
import { ts } from '../ts';
import { defineRule } from '../rule';

export default defineRule({
  id: 'span-not-ended',
  category: 'nursery',
  severity: 'warning',
  description: '…',
  visit: {
    [ts.SyntaxKind.CallExpression](call, ctx) {
      void call;
      void ctx;
    },
  },
});
