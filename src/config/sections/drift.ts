/** `telltale.config.json` → "drift": datasets to compare and data checks. */
export const driftSchema = {
  type: 'object',
  description: 'Drift reports and data checks.',
  additionalProperties: true,
  properties: {},
} as const;
