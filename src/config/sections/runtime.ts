/** `telltale.config.json` → "runtime": the local runtime (targets to scrape, port, limits). */
export const runtimeSchema = {
  type: 'object',
  description: 'The local runtime: what it scrapes and where it listens.',
  additionalProperties: true,
  properties: {},
} as const;
