import { type CliCommand, UsageError } from '../io';

/** Placeholder until the runtime command lands. */
export const run: CliCommand = async () => {
  throw new UsageError('the runtime command is not built yet');
};
