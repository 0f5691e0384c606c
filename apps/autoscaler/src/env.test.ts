import { type EnvError, parseEnv } from '@shortlist/config';
import { AutoscalerEnv } from './env';

describe('AutoscalerEnv', () => {
  it('parses targets as service:queue:min:max:jobsPerReplica', () => {
    const env = parseEnv(AutoscalerEnv, {
      AUTOSCALE_TARGETS: 'resume-worker:resume-analysis:2:6:40',
    });
    expect(env.AUTOSCALE_TARGETS).toEqual([
      { service: 'resume-worker', queue: 'resume-analysis', min: 2, max: 6, jobsPerReplica: 40 },
    ]);
    expect(env.SCALER).toBe('local');
  });

  it('names the variable and the bad target', () => {
    const problems = (value: string) => {
      try {
        parseEnv(AutoscalerEnv, { AUTOSCALE_TARGETS: value });
      } catch (error) {
        return (error as EnvError).message;
      }
      return '';
    };
    expect(problems('resume-worker:8')).toContain(
      'AUTOSCALE_TARGETS: "resume-worker:8" is not service:queue:min:max:jobsPerReplica',
    );
    expect(problems('w:no-such-queue:1:2:3')).toContain('unknown queue "no-such-queue"');
    expect(problems('w:resume-analysis:5:2:3')).toContain('needs 0 <= min <= max');
  });
});
