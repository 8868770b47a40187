/**
 * `@nestjs/schedule`: `@Cron(expr | CronExpression.X, { name? })`, `@Interval(ms)`,
 * `@Interval('name', ms)`, `@Timeout(ms)`, `@Timeout('name', ms)` on class methods. Line: the
 * decorator. Name: the given name, else the method name. Schedule: the cron expression as written
 * (`CronExpression.EVERY_HOUR` stays symbolic), `every <ms> ms` / `after <ms> ms`.
 * (Jobs added at run time through `SchedulerRegistry.addCronJob` are `cron` jobs, see cron.ts.)
 */
import type { JobDraft, JobRecognizer } from './types';
import { methodName, methodsOf, msSchedule, nestDecorator, objectLiteralOf, propertyOf, sourceText } from './common';

const MODULES = ['@nestjs/schedule'];
const DECORATORS = ['Cron', 'Interval', 'Timeout'];

const nestSchedule: JobRecognizer = {
  kind: 'nest-schedule',
  collect(project, helpers) {
    const out: JobDraft[] = [];
    const { linker } = helpers;
    for (const file of project.files.values()) {
      if (file.classes.length === 0) continue;
      const text = file.sf.text;
      if (!text.includes('@') || !/Cron|Interval|Timeout/.test(text)) continue;
      for (const cls of file.classes) {
        for (const m of methodsOf(cls)) {
          const dec = nestDecorator(m, file, linker, MODULES, DECORATORS);
          if (!dec) continue;
          const method = methodName(m) ?? 'anonymous';
          const [a0, a1] = dec.args;
          let name: string | undefined;
          let schedule: string | undefined;
          if (dec.name === 'Cron') {
            schedule = a0 ? helpers.str(a0, file) ?? sourceText(a0, file) : undefined;
            const n = propertyOf(objectLiteralOf(a1, file, linker), 'name', linker);
            name = n ? helpers.str(n.node, n.file) : undefined;
          } else {
            const named = dec.args.length >= 2;
            if (named) name = helpers.str(a0, file);
            const ms = named ? a1 : a0;
            schedule = msSchedule(ms, file, dec.name === 'Interval' ? 'every' : 'after');
          }
          out.push({ kind: 'nest-schedule', file, nameNode: dec.decorator, name: name ?? method, schedule, handler: m });
        }
      }
    }
    return out;
  },
};

export default nestSchedule;
