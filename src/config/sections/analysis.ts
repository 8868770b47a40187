/** `telltale.config.json` keys of the analysis: include/exclude globs, rules and their options. */
export const analysisSchema = {
  include: { type: 'array', items: { type: 'string' }, description: 'Globs of files to analyse (relative to the config file). Default: every TypeScript/JavaScript source the tsconfig includes.' },
  exclude: { type: 'array', items: { type: 'string' }, description: 'Globs of files to skip, in addition to node_modules, build output, .d.ts and tests.' },
  rules: {
    type: 'object',
    description: 'Per rule: "off", a severity ("error" | "warning" | "info"), or { "severity": …, "options": {…} }.',
    additionalProperties: {
      oneOf: [
        { enum: ['off', 'error', 'warning', 'info'] },
        {
          type: 'object',
          additionalProperties: false,
          properties: {
            severity: { enum: ['off', 'error', 'warning', 'info'] },
            options: { type: 'object' },
          },
        },
      ],
    },
  },
} as const;
