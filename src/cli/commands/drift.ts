import { type CliCommand, UsageError } from '../io';

/** Placeholder until the drift command lands. */
export const run: CliCommand = async () => {
  throw new UsageError('the drift command is not built yet');
};
