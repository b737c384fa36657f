export {
  type JobIdentity,
  type JobProgress,
  JobRun,
  type JobRunOptions,
  openJob,
  startJob,
  withJob,
} from './job-run.js';
