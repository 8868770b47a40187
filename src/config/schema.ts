/**
 * The JSON Schema of `telltale.config.json` (and of the `telltale` key in package.json), composed
 * from one section per area so each part of Telltale owns its keys. `npm run gen` writes it to
 * `telltale.config.schema.json` for editors; VS Code settings map onto the same keys.
 */
import { alertsSchema } from './sections/alerts';
import { analysisSchema } from './sections/analysis';
import { driftSchema } from './sections/drift';
import { fixesSchema } from './sections/fixes';
import { runtimeSchema } from './sections/runtime';

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://telltale.dev/schema/telltale.config.schema.json',
  title: 'Telltale configuration',
  type: 'object',
  additionalProperties: false,
  properties: {
    $schema: { type: 'string' },
    ...analysisSchema,
    runtime: runtimeSchema,
    drift: driftSchema,
    fixes: fixesSchema,
    alerts: alertsSchema,
  },
} as const;
