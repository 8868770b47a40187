import { type CliCommand, UsageError } from '../io';

/** Placeholder until the inventory command lands. */
export const run: CliCommand = async () => {
  throw new UsageError('the inventory command is not built yet');
};
