import { type CliCommand, UsageError } from '../io';

/** Placeholder until the scan command lands. */
export const run: CliCommand = async () => {
  throw new UsageError('the scan command is not built yet');
};
