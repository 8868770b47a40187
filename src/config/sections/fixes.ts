/** `telltale.config.json` → "fixes": where fixes put shared observability code. */
export const fixesSchema = {
  type: 'object',
  description: 'How fixes write code.',
  additionalProperties: false,
  properties: {
    observabilityModule: { type: 'string', description: 'Path (relative to the config file) of the module holding shared metrics, the logger and the tracer. Default: src/observability.ts (or observability.ts without a src folder).' },
  },
} as const;
