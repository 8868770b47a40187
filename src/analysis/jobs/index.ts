/** Every job recognizer, one file each. */
import type { JobRecognizer } from './types';

export const JOB_RECOGNIZERS: JobRecognizer[] = [];
