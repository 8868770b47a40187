/** Every job recognizer, one file each. Adding a job kind is adding a file and a line here. */
import type { JobRecognizer } from './types';
import nodeCron from './node-cron';
import cron from './cron';
import bullmq from './bullmq';
import bull from './bull';
import agenda from './agenda';
import nestSchedule from './nest-schedule';
import interval from './interval';
import script from './script';

export const JOB_RECOGNIZERS: JobRecognizer[] = [nodeCron, cron, bullmq, bull, agenda, nestSchedule, interval, script];
